package dev.spool.ingest.tus;

import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * SHA-256 of a file that arrives over many requests, possibly at different instances: its running state can be
 * saved with the upload and picked up again, so the file is hashed once, as it streams, and never read back.
 * The JDK's {@code MessageDigest} cannot export its state; Bouncy Castle's digest can.
 */
public final class ResumableSha256 {

    private final SHA256Digest digest;

    private ResumableSha256(SHA256Digest digest) {
        this.digest = digest;
    }

    /** The digest of nothing yet. */
    public static ResumableSha256 start() {
        return new ResumableSha256(new SHA256Digest());
    }

    /** Continues from a state saved with {@link #state()}. */
    public static ResumableSha256 resume(byte[] state) {
        return new ResumableSha256(new SHA256Digest(state));
    }

    /** Adds bytes. */
    public void update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
    }

    /** The running state, to be resumed later. */
    public byte[] state() {
        return digest.getEncodedState();
    }

    /** Hex digest of everything added so far; the running state is left as it is. */
    public String hex() {
        SHA256Digest copy = new SHA256Digest(digest);
        byte[] out = new byte[copy.getDigestSize()];
        copy.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }
}
