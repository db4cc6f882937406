package dev.spool.ingest.jobs;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a page of a job listing ends: the creation time and id of its last job. Jobs are listed newest first with the
 * id breaking ties, so the next page starts strictly after this position however many jobs arrive meanwhile. On the
 * wire it is an opaque URL-safe token.
 *
 * @param createdAt the last listed job's creation time
 * @param jobId the last listed job's id
 */
public record JobCursor(Instant createdAt, String jobId) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** The opaque token. */
    public String encode() {
        return ENCODER.encodeToString((createdAt.toEpochMilli() + ":" + jobId).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a token made by {@link #encode()}; fails with {@code invalid_cursor} on anything else. */
    public static JobCursor decode(String token) {
        try {
            String plain = new String(DECODER.decode(token), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            if (colon < 1 || colon == plain.length() - 1) {
                throw new IllegalArgumentException("no separator");
            }
            return new JobCursor(Instant.ofEpochMilli(Long.parseLong(plain.substring(0, colon))),
                    plain.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new SpoolProblem(ProblemCode.INVALID_CURSOR, e);
        }
    }
}
