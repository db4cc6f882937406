package dev.spool.processor.extraction;

import java.util.Objects;

/**
 * What an extractor found in one document: the text and the optional metadata facts.
 *
 * @param text the plain text
 * @param contentType detected media type without parameters
 * @param pages page count, {@code null} when the format has no pages or does not say
 * @param title document title, or {@code null}
 * @param author document author, or {@code null}
 */
public record ExtractedText(String text, String contentType, Integer pages, String title, String author) {

    public ExtractedText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(contentType, "contentType");
    }

    /** Characters of the text, as Java counts them (UTF-16 units). */
    public long characters() {
        return text.length();
    }

    /** Runs of non-whitespace characters. */
    public long words() {
        long words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return words;
    }
}
