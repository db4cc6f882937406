package dev.spool.ingest.upload;

import java.text.Normalizer;

/**
 * Makes a client-supplied filename safe to store and show: no directory parts, no control or bidirectional-override
 * characters, NFC-normalised, at most {@value #MAX_LENGTH} characters. The result is only ever displayed; storage
 * keys never contain it.
 */
public final class Filenames {

    /** Longest normalised filename, in UTF-16 characters, as most file systems allow. */
    public static final int MAX_LENGTH = 255;
    /** Stands in for a filename that is missing or has nothing left after normalising. */
    public static final String FALLBACK = "upload";

    private Filenames() {
    }

    /** The displayable form of {@code raw}; never blank. */
    public static String normalise(String raw) {
        if (raw == null) {
            return FALLBACK;
        }
        // Unsafe characters go before NFC: one left between a letter and its combining mark would block the
        // composition, and stripping it afterwards would leave a name that is not NFC (and not idempotent).
        String name = Normalizer.normalize(stripUnsafe(raw), Normalizer.Form.NFC);
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).strip();
        if (name.isEmpty() || ".".equals(name) || "..".equals(name)) {
            return FALLBACK;
        }
        return truncate(name);
    }

    private static String stripUnsafe(String name) {
        StringBuilder safe = new StringBuilder(name.length());
        name.codePoints().filter(cp -> !isUnsafe(cp)).forEach(safe::appendCodePoint);
        return safe.toString();
    }

    /**
     * Control characters, halves of surrogate pairs that lost their other half (they cannot be encoded), and the
     * bidirectional controls that make {@code exe.pdf} display as {@code fdp.exe}.
     */
    private static boolean isUnsafe(int codePoint) {
        return Character.isISOControl(codePoint)
                || codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE
                || codePoint == 0x061C
                || codePoint >= 0x202A && codePoint <= 0x202E
                || codePoint >= 0x2066 && codePoint <= 0x2069
                || codePoint == 0x200E || codePoint == 0x200F;
    }

    /** Cuts to the limit without splitting a surrogate pair. */
    private static String truncate(String name) {
        if (name.length() <= MAX_LENGTH) {
            return name;
        }
        int end = Character.isHighSurrogate(name.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
        return name.substring(0, end).strip();
    }
}
