package dev.spool.ingest.idempotency;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;

/** The syntax of an {@code Idempotency-Key} header: 1 to 255 visible ASCII characters, such as a UUID. */
public final class IdempotencyKeys {

    /** The request header. */
    public static final String HEADER = "Idempotency-Key";
    /** Response header set when the answer is the remembered answer of an earlier request. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    /** Returns {@code key} when it is valid, {@code null} when absent; fails with {@code invalid_idempotency_key}. */
    public static String validate(String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new SpoolProblem(ProblemCode.INVALID_IDEMPOTENCY_KEY);
        }
        return key;
    }
}
