package dev.spool.ingest.integrity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** The files of a stress run: sizes at and around every buffer and part boundary, and random text to fill them. */
final class StressFiles {

    /**
     * Letters with line breaks and dashes, so that the content often starts what looks like a multipart delimiter
     * ({@code \r\n--}) without being one. It always detects as plain text: the fixed lower-case start rules out the
     * magic numbers of other types.
     */
    private static final byte[] ALPHABET = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,\r\n-----"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] START = "spool stress ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PDF = "%PDF-1.7\n%\u00e2\u00e3\n".getBytes(StandardCharsets.ISO_8859_1);

    private StressFiles() {
    }

    /** Sizes every run includes whatever its seed: the edges of network buffers, part buffers and parts. */
    static List<Integer> edges(int partSize, int maxSize) {
        List<Integer> sizes = new ArrayList<>();
        int[] anchors = {8 * 1024, 16 * 1024, 64 * 1024, 1024 * 1024, partSize, 2 * partSize};
        sizes.add(1);
        for (int anchor : anchors) {
            for (int delta = -1; delta <= 1; delta++) {
                if (anchor + delta <= maxSize) {
                    sizes.add(anchor + delta);
                }
            }
        }
        return sizes;
    }

    /** A size between 1 byte and {@code maxSize}, uniform in its logarithm so that small and large files mix. */
    static int randomSize(Random random, int maxSize) {
        double exponent = random.nextDouble() * Math.log(maxSize);
        return Math.max(1, Math.min(maxSize, (int) Math.exp(exponent)));
    }

    /**
     * {@code size} bytes drawn from {@code seed}: text, or for an odd seed a PDF header followed by arbitrary bytes
     * (every byte value, as in a real document), which detects as a PDF whatever follows.
     */
    static byte[] content(int size, long seed) {
        Random random = new Random(seed);
        byte[] bytes = new byte[size];
        if ((seed & 1) == 1 && size >= PDF.length) {
            random.nextBytes(bytes);
            System.arraycopy(PDF, 0, bytes, 0, PDF.length);
            return bytes;
        }
        for (int i = 0; i < size; i++) {
            bytes[i] = i < START.length ? START[i] : ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return bytes;
    }

    /** Base64 SHA-256 of {@code bytes[from, to)}, as tus's {@code Upload-Checksum} carries it. */
    static String sha256Base64(byte[] bytes, int from, int to) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, from, to - from);
            return Base64.getEncoder().encodeToString(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
