package dev.spool.ingest.web;

import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /}: a public pointer to the API and the health endpoint, for people and probes finding their way. */
@RestController
public class IndexController {

    private static final Map<String, Object> INDEX = Map.of(
            "service", "spool-ingest",
            "links", Map.of(
                    "uploads", "/api/v1/uploads",
                    "jobs", "/api/v1/jobs/{id}",
                    "health", "/actuator/health"));

    @GetMapping(path = "/", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> index() {
        return INDEX;
    }
}
