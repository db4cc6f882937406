package dev.spool.ingest.web;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.config.IngestProperties;
import dev.spool.ingest.upload.UploadService;
import dev.spool.schemas.event.JobAccepted;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/v1/uploads}: multipart uploads, read as a stream of part events so that file content flows to
 * storage without being buffered or spooled to disk. Answers 202 with one entry per accepted file.
 */
@RestController
public class UploadController {

    private final UploadService uploads;
    private final IngestProperties ingest;

    public UploadController(UploadService uploads, IngestProperties ingest) {
        this.uploads = uploads;
        this.ingest = ingest;
    }

    @PostMapping(path = "/api/v1/uploads", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<UploadResponse>> upload(@AuthenticationPrincipal Caller caller,
            @RequestParam(name = UploadService.PRIORITY_PART, required = false) String priority,
            @RequestBody Flux<PartEvent> parts) {
        return uploads.accept(caller, priority, parts)
                .map(jobs -> ResponseEntity.status(HttpStatus.ACCEPTED).body(response(jobs)));
    }

    private UploadResponse response(List<JobAccepted> jobs) {
        return new UploadResponse(jobs.stream()
                .map(job -> new UploadResponse.Job(job.jobId(), job.filename(),
                        ingest.statusUrl(job.jobId()), ingest.eventsUrl(job.jobId())))
                .toList());
    }
}
