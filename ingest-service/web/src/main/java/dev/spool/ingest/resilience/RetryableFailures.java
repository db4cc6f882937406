package dev.spool.ingest.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Which dependency failures may succeed when tried again: timeouts, connection errors and the statuses that say
 * "not now" (429, 500, 502, 503, 504). Every other 4xx is a definite answer that a retry would only repeat, and an
 * open circuit breaker must fail fast rather than be retried.
 */
public final class RetryableFailures {

    private static final Set<Integer> RETRYABLE_STATUSES = Set.of(429, 500, 502, 503, 504);

    private RetryableFailures() {
    }

    /** Whether {@code failure}, or the failure it wraps, is worth another attempt. */
    public static boolean isRetryable(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof CallNotPermittedException || e instanceof ApiCallTimeoutException) {
            return false;
        }
        if (e instanceof SdkServiceException service) {
            return RETRYABLE_STATUSES.contains(service.statusCode()) || service.isThrottlingException();
        }
        if (e instanceof ApiCallAttemptTimeoutException || e instanceof TimeoutException || e instanceof IOException) {
            return true;
        }
        if (e instanceof SdkClientException) {
            return hasCause(e, IOException.class) || hasCause(e, TimeoutException.class);
        }
        return false;
    }

    /** Whether {@code status} is one of the HTTP statuses that invite a retry. */
    public static boolean isRetryableStatus(int status) {
        return RETRYABLE_STATUSES.contains(status);
    }

    /** The failure inside the wrappers that futures put around it. */
    static Throwable unwrap(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
