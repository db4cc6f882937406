package dev.spool.ingest.tus;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a resumable upload's parts, in the order they were stored, and how many bytes it has taken: the JDK's
 * digest, at the speed of its intrinsics. Not thread-safe: one request of the upload feeds it at a time.
 */
final class RunningSha256 {

    private final MessageDigest digest;
    private long hashed;

    private RunningSha256(MessageDigest digest) {
        this.digest = digest;
    }

    /** The digest of nothing yet. */
    static RunningSha256 start() {
        try {
            return new RunningSha256(MessageDigest.getInstance("SHA-256"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    void update(byte[] bytes) {
        digest.update(bytes);
        hashed += bytes.length;
    }

    /** Bytes taken so far. */
    long hashed() {
        return hashed;
    }

    /** Hex digest of everything taken; the running digest goes on from where it was. */
    String hex() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }
}
