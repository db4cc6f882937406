package dev.spool.ingest.upload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What makes two upload requests "the same request" for an {@code Idempotency-Key}: the requested priority and, in
 * order, every file's name, declared type, size and SHA-256. Boundaries, header order and other framing do not
 * count, so a client that rebuilds the same request gets the same fingerprint.
 */
public final class RequestFingerprint {

    private RequestFingerprint() {
    }

    /**
     * One file of a request.
     *
     * @param filename the normalised filename
     * @param declaredType the part's {@code Content-Type}, or {@code null}
     * @param size bytes
     * @param sha256 hex SHA-256 of the content
     */
    public record File(String filename, String declaredType, long size, String sha256) {
    }

    /** The hex SHA-256 fingerprint of a request. */
    public static String of(String requestedPriority, List<File> files) {
        MessageDigest digest = sha256();
        field(digest, requestedPriority);
        for (File file : files) {
            field(digest, file.filename());
            field(digest, file.declaredType());
            field(digest, Long.toString(file.size()));
            field(digest, file.sha256());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Length-prefixed, so that no two different field lists hash the same bytes. */
    private static void field(MessageDigest digest, String value) {
        if (value == null) {
            digest.update((byte) 0);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update((byte) 1);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
