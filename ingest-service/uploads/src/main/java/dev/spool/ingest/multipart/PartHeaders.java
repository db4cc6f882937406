package dev.spool.ingest.multipart;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** A part's header block, read the way browsers and HTTP clients write it (UTF-8, one header per line). */
final class PartHeaders {

    private PartHeaders() {
    }

    /**
     * Parses {@code length} bytes of {@code block}: the rest of the delimiter line, the header lines and the blank
     * line. Lines without a colon (transport padding, the empty ones) are skipped. A part must be named.
     */
    static HttpHeaders parse(byte[] block, int length) {
        HttpHeaders headers = new HttpHeaders();
        for (String line : new String(block, 0, length, StandardCharsets.UTF_8).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).strip());
            }
        }
        String disposition = headers.getFirst(HttpHeaders.CONTENT_DISPOSITION);
        if (disposition == null) {
            throw new DecodingException("A part has no Content-Disposition header");
        }
        ContentDisposition parsed;
        try {
            parsed = ContentDisposition.parse(disposition);
        } catch (IllegalArgumentException e) {
            throw new DecodingException("A part's Content-Disposition cannot be read: " + e.getMessage(), e);
        }
        if (parsed.getName() == null) {
            throw new DecodingException("A part's Content-Disposition has no name");
        }
        return headers;
    }

    /** The charset of a form field's value: its content type's, UTF-8 when none is given. */
    static Charset charset(HttpHeaders headers) {
        MediaType type = headers.getContentType();
        return type != null && type.getCharset() != null ? type.getCharset() : StandardCharsets.UTF_8;
    }
}
