package dev.spool.processor.extraction;

import java.io.IOException;
import java.io.Writer;

/**
 * Passes text through to another writer while counting its characters and words (runs of non-whitespace), and
 * keeping the start of the text as a sample for language detection.
 */
final class TextCounter extends Writer {

    private final Writer out;
    private final StringBuilder sample = new StringBuilder();
    private long characters;
    private long words;
    private boolean inWord;

    TextCounter(Writer out) {
        this.out = out;
    }

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            boolean space = Character.isWhitespace(buffer[i]);
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        characters += length;
        if (sample.length() < LanguageGuess.SAMPLE) {
            sample.append(buffer, offset, Math.min(length, LanguageGuess.SAMPLE - sample.length()));
        }
        out.write(buffer, offset, length);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    long characters() {
        return characters;
    }

    long words() {
        return words;
    }

    /** The first characters of the text. */
    String sample() {
        return sample.toString();
    }
}
