package dev.spool.schemas.event;

/**
 * Summary of what extraction found. Optional facts (pages, language, title, author) are {@code null} when the
 * document does not have them.
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
        String textKey) {
}
