package dev.spool.ingest.tus;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code Upload-Checksum} of one PATCH (tus checksum extension): an algorithm and the Base64 digest of that
 * request's body.
 *
 * @param algorithm the tus name, e.g. {@code sha256}
 * @param expected the digest the body must have
 */
public record UploadChecksum(String algorithm, byte[] expected) {

    /** The algorithms served, as listed in {@code Tus-Checksum-Algorithm}: tus name to JCA name. */
    static final Map<String, String> ALGORITHMS = Map.of("sha256", "SHA-256", "sha1", "SHA-1", "md5", "MD5");
    /** {@code Tus-Checksum-Algorithm}, strongest first. */
    public static final String ADVERTISED = "sha256,sha1,md5";

    /** Parses the header; {@code null} when absent. */
    public static UploadChecksum parse(String header) {
        if (header == null) {
            return null;
        }
        String[] parts = header.trim().split(" ", -1);
        if (parts.length != 2) {
            throw new SpoolProblem(ProblemCode.MALFORMED_REQUEST,
                    "Send Upload-Checksum as an algorithm, a space and the Base64 digest of the request body.");
        }
        String algorithm = parts[0].toLowerCase(Locale.ROOT);
        if (!ALGORITHMS.containsKey(algorithm)) {
            throw new SpoolProblem(ProblemCode.CHECKSUM_ALGORITHM_UNSUPPORTED, "The checksum algorithm " + parts[0]
                    + " is not supported; use one of " + ADVERTISED + ".")
                    .withHeader(TusHeaders.TUS_CHECKSUM_ALGORITHM, ADVERTISED);
        }
        try {
            return new UploadChecksum(algorithm, Base64.getDecoder().decode(parts[1]));
        } catch (IllegalArgumentException e) {
            throw new SpoolProblem(ProblemCode.MALFORMED_REQUEST,
                    "The Upload-Checksum digest is not Base64; encode the raw digest bytes in Base64.");
        }
    }

    /** A fresh digest of this algorithm. */
    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(ALGORITHMS.get(algorithm));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides " + algorithm, e);
        }
    }

    /** Whether {@code actual} is the expected digest. */
    public boolean matches(byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }
}
