package dev.spool.processor.extraction;

import java.io.IOException;
import java.io.Writer;

/** Passes text through to another writer while counting its characters and words (runs of non-whitespace). */
final class TextCounter extends Writer {

    private final Writer out;
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
}
