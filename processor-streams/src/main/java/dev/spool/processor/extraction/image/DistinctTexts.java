package dev.spool.processor.extraction.image;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Texts kept once each, in the order first seen. EXIF, XMP and IPTC often carry the same caption, padded differently,
 * in another case, or with its accents composed in one and decomposed in another (as macOS tools write them); two
 * texts are the same when they match once white space is collapsed, accents composed (NFC) and case ignored.
 * Bounded, since a file may carry any amount.
 */
final class DistinctTexts {

    /** Longest text kept: a caption, not a document. */
    static final int MAX_LENGTH = 2_000;
    private static final int MAX_TEXTS = 100;

    private final Map<String, String> texts = new LinkedHashMap<>();

    /** Adds {@code text} unless it is blank, one too many, or already here. */
    void add(String text) {
        String normal = normalise(text);
        if (normal != null && texts.size() < MAX_TEXTS) {
            texts.putIfAbsent(caseless(normal), normal);
        }
    }

    void addAll(List<String> all) {
        all.forEach(this::add);
    }

    List<String> list() {
        return new ArrayList<>(texts.values());
    }

    /** The first text, {@code null} when there is none. */
    String first() {
        return texts.isEmpty() ? null : texts.values().iterator().next();
    }

    /** The same key for texts that differ only in case, also where a case has more characters (ß, SS). */
    private static String caseless(String normal) {
        return Normalizer.normalize(normal.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
    }

    /**
     * {@code text} with accents composed (NFC), white space collapsed to single spaces and trimmed, and cut at
     * {@link #MAX_LENGTH} (never in a surrogate pair); {@code null} when nothing is left. Control characters other
     * than white space are dropped: some cameras pad with NUL.
     */
    static String normalise(String text) {
        if (text == null) {
            return null;
        }
        String composed = Normalizer.normalize(text, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(Math.min(composed.length(), MAX_LENGTH));
        boolean space = false;
        for (int i = 0; i < composed.length() && out.length() < MAX_LENGTH; i++) {
            char c = composed.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
            } else if (!Character.isISOControl(c)) {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        if (out.length() >= MAX_LENGTH) {
            out.setLength(Character.isHighSurrogate(out.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH);
        }
        return out.isEmpty() ? null : out.toString();
    }
}
