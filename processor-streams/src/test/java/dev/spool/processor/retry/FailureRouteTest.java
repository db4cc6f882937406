package dev.spool.processor.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.JobError;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureRouteTest {

    private static final RetrySchedule THREE_RETRIES = new RetrySchedule(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60));
    private static final JobError STORAGE = new JobError(ErrorCode.STORAGE_UNAVAILABLE, "S3 said 503", true);

    @Test
    void retryableFailuresAreRetriedThreeTimesThenDeadLettered() {
        assertThat(FailureRoute.of(STORAGE, 1, THREE_RETRIES)).isEqualTo(FailureRoute.RETRY);
        assertThat(FailureRoute.of(STORAGE, 3, THREE_RETRIES)).isEqualTo(FailureRoute.RETRY);
        assertThat(FailureRoute.of(STORAGE, 4, THREE_RETRIES)).isEqualTo(FailureRoute.DEAD_LETTER);
    }

    @Test
    void unexpectedFailuresAreDeadLetteredAtOnceAndTheDocumentsOwnFaultsFail() {
        assertThat(FailureRoute.of(new JobError(ErrorCode.INTERNAL, "NullPointerException", false), 1, THREE_RETRIES))
                .isEqualTo(FailureRoute.DEAD_LETTER);
        for (ErrorCode code : new ErrorCode[] {ErrorCode.ENCRYPTED, ErrorCode.CORRUPT, ErrorCode.TIMEOUT,
                ErrorCode.TOO_LARGE_TO_EXTRACT, ErrorCode.UNSUPPORTED_TYPE, ErrorCode.OBJECT_MISSING}) {
            assertThat(FailureRoute.of(new JobError(code, "no", false), 1, THREE_RETRIES)).as("%s", code)
                    .isEqualTo(FailureRoute.FAIL);
        }
    }

    @Test
    void withoutRetriesAStorageFailureIsDeadLetteredAtOnce() {
        RetrySchedule none = new RetrySchedule(0, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60));

        assertThat(FailureRoute.of(STORAGE, 1, none)).isEqualTo(FailureRoute.DEAD_LETTER);
    }
}
