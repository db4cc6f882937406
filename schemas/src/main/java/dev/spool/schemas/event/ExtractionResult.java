package dev.spool.schemas.event;

import java.util.Map;

/**
 * Summary of what extraction found. Optional facts (pages, language, title, author, image size, metadata, image metadata) are
 * {@code null} when the document does not have them.
 *
 * @param contentType media type Tika detected
 * @param pages page count for paged documents
 * @param characters characters of extracted text
 * @param words words of extracted text
 * @param language ISO 639-1 code of the detected language
 * @param title document title from its metadata
 * @param author document author from its metadata
 * @param textBucket bucket of the stored text
 * @param textKey key of the stored text
 * @param width width in pixels, for images
 * @param height height in pixels, for images
 * @param metadata selected document metadata (EXIF camera and capture date of images, producer, creation date),
 *     by Tika property name; small and bounded
 * @param textEncoding content encoding of the stored text ({@code gzip}); {@code null} when stored as is
 * @param truncated where the text was cut at an extraction limit; {@code null} when the text is whole
 * @param image what an image's EXIF, XMP and IPTC metadata say; {@code null} for other documents
 */
public record ExtractionResult(
        String contentType,
        Integer pages,
        long characters,
        long words,
        String language,
        String title,
        String author,
        String textBucket,
        String textKey,
        Integer width,
        Integer height,
        Map<String, String> metadata,
        String textEncoding,
        Truncation truncated,
        ImageMetadata image) {

    public ExtractionResult {
        metadata = metadata == null ? null : Map.copyOf(metadata);
    }

    /** The result of a whole text, not cut at any limit. */
    public ExtractionResult(String contentType, Integer pages, long characters, long words, String language,
            String title, String author, String textBucket, String textKey, Integer width, Integer height,
            Map<String, String> metadata, String textEncoding) {
        this(contentType, pages, characters, words, language, title, author, textBucket, textKey, width, height,
                metadata, textEncoding, null);
    }

    /** The result of a document that is not an image. */
    public ExtractionResult(String contentType, Integer pages, long characters, long words, String language,
            String title, String author, String textBucket, String textKey, Integer width, Integer height,
            Map<String, String> metadata, String textEncoding, Truncation truncated) {
        this(contentType, pages, characters, words, language, title, author, textBucket, textKey, width, height,
                metadata, textEncoding, truncated, null);
    }
}
