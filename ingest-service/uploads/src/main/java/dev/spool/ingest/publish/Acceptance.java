package dev.spool.ingest.publish;

import dev.spool.schemas.event.JobAccepted;
import java.util.Objects;

/**
 * A job to make exist.
 *
 * @param job its acceptance
 * @param document the stored bytes, to travel with its work record when they are at most
 *     {@code spool.ingest.publish.inline-document-max}; {@code null} when they do not travel
 */
public record Acceptance(JobAccepted job, byte[] document) {

    public Acceptance {
        Objects.requireNonNull(job, "job");
    }

    /** A job whose document does not travel with it. */
    public static Acceptance of(JobAccepted job) {
        return new Acceptance(job, null);
    }
}
