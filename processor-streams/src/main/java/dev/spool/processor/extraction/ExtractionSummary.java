package dev.spool.processor.extraction;

import dev.spool.schemas.event.Truncation;
import java.util.Map;
import java.util.Objects;

/**
 * What extraction found in one document, besides its text (which goes to a file): the facts the job's result
 * carries. Optional facts are {@code null} when the document does not have them.
 *
 * @param contentType detected media type without parameters
 * @param pages page count, {@code null} when the format has no pages or does not say
 * @param characters characters of the extracted text (UTF-16 units, as Java counts them)
 * @param words runs of non-whitespace characters in the text
 * @param language ISO 639-1 code of the text's language, {@code null} when too little text to tell
 * @param title document title
 * @param author document author
 * @param width image width in pixels
 * @param height image height in pixels
 * @param metadata selected metadata by Tika property name; never {@code null}
 * @param truncated where the text was cut at a limit; {@code null} when it is whole
 */
public record ExtractionSummary(
        String contentType,
        Integer pages,
        long characters,
        long words,
        String language,
        String title,
        String author,
        Integer width,
        Integer height,
        Map<String, String> metadata,
        Truncation truncated) {

    public ExtractionSummary {
        Objects.requireNonNull(contentType, "contentType");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
