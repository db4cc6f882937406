package dev.spool.schemas.deadletter;

import dev.spool.schemas.deadletter.DeadLetterStorage.Status;
import java.time.Instant;

/**
 * One entry of the dead-letter index ({@link DeadLetterStorage}) as both of its services see it: status-projection
 * writes what failed and how, ingest-service lists, replays and purges it. {@link DeadLetterDocuments} reads and
 * writes it in MongoDB.
 *
 * @param id the job id, or {@code undecodable-<partition>-<offset>} for a record without one
 * @param jobId {@code null} when the record did not decode as a job's work
 * @param tier the tier's wire name
 * @param dlqPartition where the record sits on {@code spool.jobs.dlq}
 * @param dlqOffset a later dead-lettering of the same job has a higher offset
 * @param record the work record's JSON, which a replay sends again; Base64 of the value when undecodable
 * @param status {@code null} for an id the index does not hold
 * @param lastReplayedAt {@code null} until the first replay
 * @param lastReplayedBy the operator of the last replay, or {@code null}
 */
public record DeadLetter(String id, String jobId, String ownerId, String filename, String tier, String errorCode,
        String exceptionClass, String exceptionMessage, int attempts, Instant failedAt, String originalTopic,
        int dlqPartition, long dlqOffset, String record, Status status, int replayCount, Instant lastReplayedAt,
        String lastReplayedBy) {

    /** What the index says of an id it does not hold. */
    public static DeadLetter missing(String id) {
        return new DeadLetter(id, null, null, null, null, null, null, null, 0, null, null, 0, 0, null, null, 0, null,
                null);
    }

    public boolean exists() {
        return status != null;
    }

    /** Whether the record decoded as a job's work, which is what a replay sends again. */
    public boolean replayable() {
        return jobId != null;
    }
}
