package dev.spool.ingest.page;

import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api}: a public pointer to the API, its description and the health endpoint, for programs finding their way. */
@RestController
public class IndexController {

    private static final Map<String, Object> INDEX = Map.of(
            "service", "spool-ingest",
            "links", Map.of(
                    "page", "/",
                    "openapi", "/api/openapi.yaml",
                    "uploads", "/api/v1/uploads",
                    "resumableUploads", "/api/v1/tus/",
                    "jobs", "/api/v1/jobs",
                    "jobEvents", "/api/v1/jobs/events",
                    "job", "/api/v1/jobs/{id}",
                    "serviceLevel", "/api/v1/service-level",
                    "health", "/actuator/health"));

    @GetMapping(path = "/api", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> index() {
        return INDEX;
    }
}
