package dev.spool.ingest.page;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /}: the web page. The page itself is public and holds no data; everything it shows comes from the API
 * with the token the person signs in with. Its scripts and styles are static resources under {@code /app/} and
 * {@code /vendor/}.
 */
@RestController
public class WebPageController {

    static final Resource PAGE = new ClassPathResource("static/index.html");

    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<Resource> page() {
        // Revalidated on every visit, so a new release's page never runs with the previous release's scripts.
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).contentType(MediaType.TEXT_HTML).body(PAGE);
    }
}
