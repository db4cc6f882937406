package dev.spool.ingest.storage;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What arrived of one file, counted and hashed before the part buffer read it: the account that what S3 stored must
 * match before the object may exist.
 *
 * @param size bytes that arrived
 * @param sha256 their SHA-256, hex
 * @param digests the digests the client asked to have checked, by JCA name
 */
record Receipt(long size, String sha256, Map<String, byte[]> digests) {

    private static final Logger LOG = LoggerFactory.getLogger(Receipt.class);

    Receipt {
        digests = Map.copyOf(digests);
    }

    /**
     * The last check before an object may exist: what S3 acknowledged must be, byte count and SHA-256, what arrived,
     * and what arrived must have the digests the client sent. A difference of the first kind is a defect on this side
     * of the connection, refused ({@code upload_incomplete}) rather than kept short; of the second, the client's
     * ({@code digest_mismatch}).
     *
     * @param key the object's key, for the log line
     * @throws SpoolProblem when either differs; nothing may be kept then
     */
    void agreeWith(long storedSize, String storedSha256, List<ExpectedDigest> expected, String key) {
        if (storedSize != size || !storedSha256.equals(sha256)) {
            LOG.error("Stored bytes differ from the bytes received for {}: {} bytes (SHA-256 {}) received, {} "
                    + "bytes (SHA-256 {}) stored; discarding it", key, size, sha256, storedSize, storedSha256);
            throw new SpoolProblem(ProblemCode.UPLOAD_INCOMPLETE);
        }
        for (ExpectedDigest digest : expected) {
            if (!digest.matches(digests.get(digest.algorithm()))) {
                throw new SpoolProblem(ProblemCode.DIGEST_MISMATCH, "The file's " + digest.algorithm()
                        + " digest is not the one in " + digest.header() + ", so nothing was kept; check that "
                        + "the header describes the file itself and upload it again.")
                        .withProperty("header", digest.header());
            }
        }
    }
}
