package dev.spool.processor.extraction;

import dev.spool.schemas.event.ErrorCode;
import java.time.Duration;
import java.util.Objects;

/**
 * What one document may cost to extract. Beyond any of these a job fails {@code too_large_to_extract} (or
 * {@code timeout}) instead of taking the processor down with it.
 *
 * @param maxCharacters most characters of text
 * @param maxPages most pages
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

    /** The refusal of a document with more than {@link #maxCharacters} characters of text. */
    public ExtractionRefusedException tooManyCharacters() {
        return new ExtractionRefusedException(ErrorCode.TOO_LARGE_TO_EXTRACT,
                "the document has more than " + maxCharacters + " characters of text");
    }
}
