package dev.spool.bench;

import java.nio.charset.StandardCharsets;

/** The 10 KB English-like plain-text documents of the load benches, each different, so no two jobs extract the same text. */
final class TextDocument {

    static final int BYTES = 10_000;

    private static final String[] WORDS = ("the river report committee harbour ledger lighthouse orchard survey "
            + "spring mill otter keeper weather north coast clean early bloom record").split(" ");

    private TextDocument() {
    }

    /** Document number {@code number}: the same number gives the same bytes. */
    static byte[] of(int number) {
        StringBuilder text = new StringBuilder(BYTES + 32).append("Load document ").append(number).append(". ");
        int word = number;
        while (text.length() < BYTES) {
            text.append(WORDS[Math.floorMod(word * 7 + text.length(), WORDS.length)]).append(text.length() % 13 == 0 ? ".\n" : " ");
            word++;
        }
        text.setLength(BYTES);
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
