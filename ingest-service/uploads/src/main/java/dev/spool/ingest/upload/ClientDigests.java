package dev.spool.ingest.upload;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.storage.ExpectedDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;

/**
 * The digests a client sends with a multipart upload, for the file it carries: {@code Content-MD5} (RFC 1864) and
 * {@code Content-Digest} / {@code Repr-Digest} (RFC 9530, {@code sha-256} and {@code sha-512}). A multipart body's
 * framing is the client library's business and differs between libraries, so the digests are taken to describe the
 * one file of a single-file request, which is what is stored and what the client knows the bytes of.
 */
final class ClientDigests {

    static final String CONTENT_MD5 = "Content-MD5";
    static final String CONTENT_DIGEST = "Content-Digest";
    static final String REPR_DIGEST = "Repr-Digest";
    /** RFC 9530 algorithm names served, to JCA names. */
    private static final Map<String, String> ALGORITHMS = Map.of("sha-256", "SHA-256", "sha-512", "SHA-512");
    private static final String SERVED = "sha-256, sha-512";

    private ClientDigests() {
    }

    /** Every digest the request's headers announce for its file; empty when it sends none. */
    static List<ExpectedDigest> from(HttpHeaders headers) {
        List<ExpectedDigest> digests = new ArrayList<>();
        String md5 = headers.getFirst(CONTENT_MD5);
        if (md5 != null) {
            digests.add(new ExpectedDigest(CONTENT_MD5, "MD5", decode(CONTENT_MD5, md5.trim(), 16)));
        }
        for (String header : List.of(CONTENT_DIGEST, REPR_DIGEST)) {
            String value = headers.getFirst(header);
            if (value != null) {
                digests.addAll(structured(header, value));
            }
        }
        return digests;
    }

    /**
     * An RFC 9530 dictionary such as {@code sha-256=:base64:, sha-512=:base64:}. Algorithms not served are skipped, as
     * the RFC allows; a header naming none that is served is refused rather than left unchecked.
     */
    private static List<ExpectedDigest> structured(String header, String value) {
        List<ExpectedDigest> digests = new ArrayList<>();
        for (String member : value.split(",")) {
            String[] pair = member.trim().split("=", 2);
            String algorithm = pair[0].trim().toLowerCase(Locale.ROOT);
            if (pair.length != 2 || !pair[1].startsWith(":") || !pair[1].endsWith(":") || pair[1].length() < 2) {
                throw new SpoolProblem(ProblemCode.MALFORMED_REQUEST, "Send " + header + " as in RFC 9530, e.g. "
                        + "sha-256=:<Base64 of the digest>:.");
            }
            String jca = ALGORITHMS.get(algorithm);
            if (jca != null) {
                int length = "SHA-256".equals(jca) ? 32 : 64;
                digests.add(new ExpectedDigest(header, jca,
                        decode(header, pair[1].substring(1, pair[1].length() - 1), length)));
            }
        }
        if (digests.isEmpty()) {
            throw new SpoolProblem(ProblemCode.CHECKSUM_ALGORITHM_UNSUPPORTED, header + " names no algorithm this "
                    + "service checks; use " + SERVED + ".");
        }
        return digests;
    }

    private static byte[] decode(String header, String base64, int length) {
        try {
            byte[] digest = Base64.getDecoder().decode(base64);
            if (digest.length == length) {
                return digest;
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the refusal below, which says what the header must hold.
        }
        throw new SpoolProblem(ProblemCode.MALFORMED_REQUEST, header + " must hold the Base64 of a " + length
                + "-byte digest of the file.");
    }
}
