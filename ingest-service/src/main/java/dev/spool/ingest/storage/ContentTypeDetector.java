package dev.spool.ingest.storage;

import org.apache.tika.Tika;
import org.springframework.stereotype.Component;

/**
 * Detects a file's media type from its first bytes with Tika's magic-byte detection. The filename is deliberately
 * not passed as a hint: with one, random bytes look like text and an empty file like a PDF.
 */
@Component
public class ContentTypeDetector {

    private final Tika tika = new Tika();

    /** The detected media type, {@code application/octet-stream} when nothing matches. */
    public String detect(byte[] firstBytes) {
        return tika.detect(firstBytes);
    }
}
