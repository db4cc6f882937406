package dev.spool.ingest.jobs;

import dev.spool.ingest.auth.Caller;
import dev.spool.schemas.envelope.EventJson;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Status reads: the caller's jobs page by page, a job's view, and a completed job's extracted text. */
@RestController
public class JobController {

    static final MediaType TEXT_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

    private final JobQueries queries;
    private final JobViewJson json;

    public JobController(JobQueries queries, JobViewJson json) {
        this.queries = queries;
        this.json = json;
    }

    @GetMapping(path = "/api/v1/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ObjectNode> list(@AuthenticationPrincipal Caller caller,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) String owner,
            @RequestParam(defaultValue = "" + JobQueries.DEFAULT_PAGE) int limit) {
        return queries.list(caller, owner, status, cursor, limit).map(page -> {
            ObjectNode body = EventJson.mapper().createObjectNode();
            ArrayNode jobs = body.putArray("jobs");
            page.jobs().forEach(view -> jobs.add(json.of(view)));
            if (page.next() != null) {
                body.put("next", page.next().encode());
            } else {
                body.putNull("next");
            }
            return body;
        });
    }

    @GetMapping(path = "/api/v1/jobs/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ObjectNode> job(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return queries.find(caller, id).map(json::of);
    }

    /**
     * The extracted text. Stored gzip-compressed, it is sent as is ({@code Content-Encoding: gzip}) to a client that
     * accepts gzip, and decompressed on the way to one that does not.
     */
    @GetMapping(path = "/api/v1/jobs/{id}/text")
    Mono<ResponseEntity<Flux<DataBuffer>>> text(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestHeader(name = HttpHeaders.ACCEPT_ENCODING, required = false) String acceptEncoding) {
        return queries.text(caller, id).map(text -> {
            ResponseEntity.BodyBuilder ok = ResponseEntity.ok().contentType(TEXT_UTF8).header(HttpHeaders.VARY,
                    HttpHeaders.ACCEPT_ENCODING);
            if (text.gzipped() && acceptsGzip(acceptEncoding)) {
                return ok.header(HttpHeaders.CONTENT_ENCODING, "gzip").body(text.body());
            }
            return ok.body(text.plain());
        });
    }

    private static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.trim().split(";");
            if (parts[0].trim().equalsIgnoreCase("gzip")) {
                return parts.length == 1 || !parts[1].replace(" ", "").equalsIgnoreCase("q=0");
            }
        }
        return false;
    }
}
