package dev.spool.ingest.web;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.jobs.JobQueries;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** Status reads: a job's view, and a completed job's extracted text. */
@RestController
public class JobController {

    static final MediaType TEXT_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

    private final JobQueries queries;
    private final JobViewJson json;

    public JobController(JobQueries queries, JobViewJson json) {
        this.queries = queries;
        this.json = json;
    }

    @GetMapping(path = "/api/v1/jobs/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ObjectNode> job(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return queries.find(caller, id).map(json::of);
    }

    @GetMapping(path = "/api/v1/jobs/{id}/text")
    Mono<ResponseEntity<Flux<DataBuffer>>> text(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return queries.text(caller, id).map(text -> ResponseEntity.ok().contentType(TEXT_UTF8).body(text));
    }
}
