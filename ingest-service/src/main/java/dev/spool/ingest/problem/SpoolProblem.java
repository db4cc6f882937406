package dev.spool.ingest.problem;

import java.util.Objects;

/**
 * A problem the caller can act on, raised anywhere in the service and rendered as {@code application/problem+json}
 * by the web layer. The message is the detail shown to the caller, so it must never carry internals.
 */
public final class SpoolProblem extends RuntimeException {

    private final ProblemCode code;

    public SpoolProblem(ProblemCode code) {
        this(code, code.defaultDetail(), null);
    }

    public SpoolProblem(ProblemCode code, String detail) {
        this(code, detail, null);
    }

    public SpoolProblem(ProblemCode code, Throwable cause) {
        this(code, code.defaultDetail(), cause);
    }

    public SpoolProblem(ProblemCode code, String detail, Throwable cause) {
        super(Objects.requireNonNull(detail, "detail"), cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ProblemCode code() {
        return code;
    }

    /** The sentence shown to the caller. */
    public String detail() {
        return getMessage();
    }
}
