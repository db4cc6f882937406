package dev.spool.ingest.download;

import dev.spool.ingest.auth.Caller;
import dev.spool.schemas.envelope.EventJson;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Downloads: {@code 302 Found} to a presigned S3 URL of a job's original or text, or with {@code redirect=false}
 * the URL as JSON, for a page whose script must send the token and cannot read a cross-origin redirect. Neither
 * answer may be cached: the URL is a short-lived credential.
 */
@RestController
public class DownloadController {

    /** Where a job's original file is downloaded. */
    public static final String ORIGINAL_PATH = "/api/v1/jobs/{id}/original";
    /** Where a job's extracted text is downloaded (the text itself streams from {@code /text}). */
    public static final String TEXT_PATH = "/api/v1/jobs/{id}/text/download";

    private final DownloadLinks links;

    public DownloadController(DownloadLinks links) {
        this.links = links;
    }

    @GetMapping(ORIGINAL_PATH)
    Mono<ResponseEntity<ObjectNode>> original(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestParam(defaultValue = "true") boolean redirect) {
        return links.original(caller, id).map(link -> answer(link, redirect));
    }

    @GetMapping(TEXT_PATH)
    Mono<ResponseEntity<ObjectNode>> text(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestParam(defaultValue = "true") boolean redirect) {
        return links.text(caller, id).map(link -> answer(link, redirect));
    }

    private static ResponseEntity<ObjectNode> answer(DownloadLink link, boolean redirect) {
        if (redirect) {
            return ResponseEntity.status(HttpStatus.FOUND).location(link.url()).cacheControl(CacheControl.noStore())
                    .build();
        }
        ObjectNode body = EventJson.mapper().createObjectNode();
        body.put("url", link.url().toString());
        body.put("expiresAt", link.expiresAt().toString());
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }
}
