package dev.spool.processor.extraction;

import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobError;
import java.time.Instant;
import java.util.Objects;

/** How one attempt of a job ended: with its completed fact, or with an error that the topology routes. */
public sealed interface AttemptOutcome {

    /** The attempt extracted and stored the text. */
    record Completed(JobCompleted fact) implements AttemptOutcome {

        public Completed {
            Objects.requireNonNull(fact, "fact");
        }
    }

    /**
     * The attempt failed.
     *
     * @param error the classified error the job's facts carry
     * @param cause what was thrown, for the dead-letter headers
     * @param failedAt when the attempt gave up
     */
    record Failed(JobError error, Throwable cause, Instant failedAt) implements AttemptOutcome {

        public Failed {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(failedAt, "failedAt");
        }
    }
}
