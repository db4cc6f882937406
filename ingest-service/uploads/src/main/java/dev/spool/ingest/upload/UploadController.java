package dev.spool.ingest.upload;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.config.StatusProperties;
import dev.spool.ingest.idempotency.IdempotencyKeys;
import dev.spool.ingest.multipart.MultipartReader;
import dev.spool.ingest.storage.ExpectedDigest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/v1/uploads}: multipart uploads, read by {@link MultipartReader} as a stream of part events so that
 * file content flows to storage without being buffered or spooled to disk. Everything that can be refused without reading the body is
 * refused first: a malformed {@code Idempotency-Key} or digest header, a declared length over the request limit, a
 * full instance.
 * Answers 202 with one entry per file, accepted or refused.
 */
@RestController
public class UploadController {

    /** Room for multipart boundaries and part headers on top of the file bytes a request may carry. */
    private static final long FRAMING_ALLOWANCE = 64 * 1024;

    private final UploadService uploads;
    private final UploadPermits permits;
    private final StatusProperties status;

    public UploadController(UploadService uploads, UploadPermits permits, StatusProperties status) {
        this.uploads = uploads;
        this.permits = permits;
        this.status = status;
    }

    @PostMapping(path = "/api/v1/uploads", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<UploadResponse>> upload(@AuthenticationPrincipal Caller caller,
            @RequestParam(name = UploadService.PRIORITY_PART, required = false) String priority,
            @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey,
            ServerHttpRequest request) {
        String key = IdempotencyKeys.validate(idempotencyKey);
        List<ExpectedDigest> digests = ClientDigests.from(request.getHeaders());
        uploads.limits().checkDeclaredLength(request.getHeaders().getContentLength(), FRAMING_ALLOWANCE);
        permits.acquire();
        Flux<PartEvent> parts = MultipartReader.read(request.getHeaders().getContentType(), request.getBody());
        return uploads.accept(caller, priority, key, digests, parts)
                .map(outcome -> {
                    ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.ACCEPTED);
                    if (outcome.replayed()) {
                        response.header(IdempotencyKeys.REPLAYED_HEADER, "true");
                    }
                    return response.body(response(outcome.result()));
                })
                .doFinally(signal -> permits.release());
    }

    private UploadResponse response(UploadResult result) {
        return new UploadResponse(
                result.accepted().stream()
                        .map(job -> new UploadResponse.Job(job.index(), job.jobId(), job.filename(), job.contentType(),
                                job.size(), job.sha256(), status.statusUrl(job.jobId()), status.eventsUrl(job.jobId())))
                        .toList(),
                result.rejected().stream()
                        .map(file -> new UploadResponse.Rejected(file.index(), file.filename(),
                                file.code().status().value(), file.code().code(), file.code().title(), file.detail(),
                                file.properties()))
                        .toList());
    }
}
