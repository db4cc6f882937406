package dev.spool.ingest.problem;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A problem the caller can act on, raised anywhere in the service and rendered as {@code application/problem+json}
 * by the web layer. The message is the detail shown to the caller, so it must never carry internals.
 *
 * <p>Extension properties (such as the limit that was exceeded) and response headers (such as the RateLimit
 * fields) travel with the problem, so the place that knows them is the place that sets them.
 */
public final class SpoolProblem extends RuntimeException {

    private final ProblemCode code;
    private final Duration retryAfter;
    private final Map<String, Object> properties;
    private final Map<String, String> headers;

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
        this(code, detail, cause, code.retryAfter(), Map.of(), Map.of());
    }

    private SpoolProblem(ProblemCode code, String detail, Throwable cause, Duration retryAfter,
            Map<String, Object> properties, Map<String, String> headers) {
        super(Objects.requireNonNull(detail, "detail"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfter = retryAfter;
        this.properties = Map.copyOf(properties);
        this.headers = Map.copyOf(headers);
    }

    public ProblemCode code() {
        return code;
    }

    /** The sentence shown to the caller. */
    public String detail() {
        return getMessage();
    }

    /** How long to wait before retrying, or {@code null} when waiting does not help. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Extension members of the problem body, beyond the standard ones and {@code code}. */
    public Map<String, Object> properties() {
        return properties;
    }

    /** Extra response headers. */
    public Map<String, String> headers() {
        return headers;
    }

    /** This problem with {@code Retry-After} set to {@code wait}, rounded up to whole seconds when rendered. */
    public SpoolProblem withRetryAfter(Duration wait) {
        return new SpoolProblem(code, detail(), getCause(), wait, properties, headers);
    }

    /** This problem with one more extension member. */
    public SpoolProblem withProperty(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(properties);
        more.put(name, value);
        return new SpoolProblem(code, detail(), getCause(), retryAfter, more, headers);
    }

    /** This problem with one more response header. */
    public SpoolProblem withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new SpoolProblem(code, detail(), getCause(), retryAfter, properties, more);
    }

    /** Whole seconds to wait, rounded up so that a client never retries early; {@code null} when not set. */
    public Long retryAfterSeconds() {
        if (retryAfter == null) {
            return null;
        }
        long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
