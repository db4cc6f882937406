package dev.spool.processor.extraction;

import dev.spool.schemas.event.ImageMetadata;
import dev.spool.schemas.event.Truncation;
import java.util.Map;
import java.util.stream.Collectors;
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
 * @param image what an image's EXIF, XMP and IPTC metadata say; {@code null} for other documents
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
        Truncation truncated,
        ImageMetadata image) {

    /** Tika's names of the position a document was made at ({@code geo:lat}, {@code geo:long}, ...). */
    private static final String LOCATION_PREFIX = "geo:";

    public ExtractionSummary {
        Objects.requireNonNull(contentType, "contentType");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A summary of a document that is not an image. */
    public ExtractionSummary(String contentType, Integer pages, long characters, long words, String language,
            String title, String author, Integer width, Integer height, Map<String, String> metadata,
            Truncation truncated) {
        this(contentType, pages, characters, words, language, title, author, width, height, metadata, truncated, null);
    }

    /** The same summary without where the document was made: no GPS position, no {@code geo:} metadata. */
    public ExtractionSummary withoutLocation() {
        Map<String, String> kept = metadata.entrySet().stream()
                .filter(entry -> !entry.getKey().startsWith(LOCATION_PREFIX))
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
        return new ExtractionSummary(contentType, pages, characters, words, language, title, author, width, height,
                kept, truncated, image == null ? null : image.withoutGps());
    }
}
