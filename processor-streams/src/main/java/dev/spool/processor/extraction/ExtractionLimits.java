package dev.spool.processor.extraction;

import java.time.Duration;
import java.util.Objects;

/**
 * What one document may cost to extract. At the character or page limit a job completes with the text up to it
 * ({@link dev.spool.schemas.event.Truncation}); beyond the others it fails {@code too_large_to_extract} (or
 * {@code timeout}) instead of taking the processor down with it.
 *
 * @param maxCharacters most characters of text kept; the rest is cut
 * @param maxPages most pages read; the rest is cut
 * @param maxExpandedBytes most bytes a zip-based document (OOXML, ODF) may declare once inflated
 * @param maxCompressionRatio largest inflated-to-compressed ratio of any entry of a zip-based document
 * @param timeout longest one extraction may run; then its worker process is killed
 * @param workerHeap heap of a worker process ({@code -Xmx} syntax, e.g. {@code 512m}); running out ends the job
 */
public record ExtractionLimits(
        int maxCharacters,
        int maxPages,
        long maxExpandedBytes,
        int maxCompressionRatio,
        Duration timeout,
        String workerHeap) {

    public ExtractionLimits {
        if (maxCharacters < 1 || maxPages < 1 || maxExpandedBytes < 1 || maxCompressionRatio < 1) {
            throw new IllegalArgumentException("extraction limits must be positive");
        }
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(workerHeap, "workerHeap");
        if (!workerHeap.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("worker heap must look like 512m: " + workerHeap);
        }
    }

    /**
     * The first {@link #maxCharacters} characters of {@code text}, one fewer when the last would be half of a
     * surrogate pair, so that the kept text is still well-formed.
     */
    public String cut(String text) {
        if (text.length() <= maxCharacters) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(maxCharacters - 1)) ? maxCharacters - 1 : maxCharacters;
        return text.substring(0, end);
    }
}
