package dev.spool.ingest.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/openapi.yaml}: the OpenAPI 3.1 description of this HTTP API, public. Written by hand beside the
 * code it describes; {@code OpenApiDocumentTest} fails when a route is missing from it or it names one that is gone.
 */
@RestController
public class OpenApiController {

    /** Where the document is served. */
    public static final String PATH = "/api/openapi.yaml";
    static final String RESOURCE = "/dev/spool/ingest/openapi.yaml";
    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    private final byte[] document;

    public OpenApiController() {
        try (InputStream in = OpenApiController.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE);
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping(PATH)
    ResponseEntity<byte[]> document() {
        return ResponseEntity.ok().contentType(YAML).body(document);
    }
}
