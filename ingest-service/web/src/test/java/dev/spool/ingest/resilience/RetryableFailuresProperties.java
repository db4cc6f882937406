package dev.spool.ingest.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class RetryableFailuresProperties {

    private static final Set<Integer> RETRYABLE = Set.of(429, 500, 502, 503, 504);

    @Property
    void anS3StatusIsRetryableExactlyWhenItSaysNotNow(@ForAll @IntRange(min = 100, max = 599) int status,
            @ForAll @Size(max = 3) List<Boolean> wrappers) {
        Throwable failure = S3Exception.builder().statusCode(status).message("x").build();
        assertThat(RetryableFailures.isRetryable(wrap(failure, wrappers))).isEqualTo(RETRYABLE.contains(status));
        assertThat(RetryableFailures.isRetryableStatus(status)).isEqualTo(RETRYABLE.contains(status));
    }

    /** The SDK counts a throttling error code as throttling whatever the status, and so does the retry. */
    @Property
    void aThrottlingErrorCodeIsRetryableWhateverTheStatus(@ForAll @IntRange(min = 400, max = 599) int status,
            @ForAll("throttlingCodes") String errorCode, @ForAll @Size(max = 3) List<Boolean> wrappers) {
        Throwable failure = S3Exception.builder().statusCode(status).message("x")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(errorCode).build()).build();
        assertThat(RetryableFailures.isRetryable(wrap(failure, wrappers))).isTrue();
    }

    @Property
    void aDefiniteErrorCodeDoesNotMakeA4xxRetryable(@ForAll @IntRange(min = 400, max = 499) int status,
            @ForAll("definiteCodes") String errorCode) {
        Throwable failure = S3Exception.builder().statusCode(status).message("x")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(errorCode).build()).build();
        assertThat(RetryableFailures.isRetryable(failure)).isEqualTo(status == 429);
    }

    @Property
    void connectionErrorsAndAttemptTimeoutsAreRetryable(@ForAll("transientFailures") Throwable failure,
            @ForAll @Size(max = 3) List<Boolean> wrappers) {
        assertThat(RetryableFailures.isRetryable(wrap(failure, wrappers))).isTrue();
    }

    @Property
    void definiteFailuresAreNotRetryable(@ForAll("definiteFailures") Throwable failure,
            @ForAll @Size(max = 3) List<Boolean> wrappers) {
        assertThat(RetryableFailures.isRetryable(wrap(failure, wrappers))).isFalse();
    }

    @Provide
    Arbitrary<String> throttlingCodes() {
        return Arbitraries.of("SlowDown", "Throttling", "ThrottlingException", "TooManyRequestsException",
                "RequestLimitExceeded", "BandwidthLimitExceeded");
    }

    @Provide
    Arbitrary<String> definiteCodes() {
        return Arbitraries.of("AccessDenied", "NoSuchKey", "NoSuchBucket", "InvalidRequest", "EntityTooLarge");
    }

    @Provide
    Arbitrary<Throwable> transientFailures() {
        return Arbitraries.of(
                SdkClientException.create("connection reset", new IOException("reset")),
                SdkClientException.create("connect", new RuntimeException(new ConnectException("refused"))),
                ApiCallAttemptTimeoutException.create(100),
                new IOException("reset"));
    }

    @Provide
    Arbitrary<Throwable> definiteFailures() {
        return Arbitraries.of(
                ApiCallTimeoutException.create(1000),
                ApiCallTimeoutException.create("timed out", new IOException("slow")),
                CallNotPermittedException.createCallNotPermittedException(CircuitBreaker.ofDefaults("x")),
                SdkClientException.create("bad configuration"),
                new IllegalArgumentException("x"),
                new SpoolProblem(ProblemCode.STORAGE_UNAVAILABLE));
    }

    /** Wraps {@code failure} as futures do: one layer per element, outermost last. */
    private static Throwable wrap(Throwable failure, List<Boolean> completionLayers) {
        Throwable wrapped = failure;
        for (boolean completion : completionLayers) {
            wrapped = completion ? new CompletionException(wrapped) : new ExecutionException(wrapped);
        }
        return wrapped;
    }
}
