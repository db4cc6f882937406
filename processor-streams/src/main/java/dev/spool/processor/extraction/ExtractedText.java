package dev.spool.processor.extraction;

import java.util.Objects;

/**
 * A document's text extracted in memory, and what extraction found.
 *
 * @param utf8 the text, UTF-8 encoded
 * @param summary the facts the job's result carries
 */
public record ExtractedText(byte[] utf8, ExtractionSummary summary) {

    public ExtractedText {
        Objects.requireNonNull(utf8, "utf8");
        Objects.requireNonNull(summary, "summary");
    }
}
