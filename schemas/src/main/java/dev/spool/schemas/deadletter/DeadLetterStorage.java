package dev.spool.schemas.deadletter;

import java.util.Locale;

/**
 * The dead-letter index in MongoDB: one document per dead-lettered job (or per unreadable record), projected from
 * {@code spool.jobs.dlq} by status-projection and read, replayed and purged by ingest-service's admin API. The topic
 * stays the source of truth; the index makes it searchable and remembers what operators did with each entry.
 */
public final class DeadLetterStorage {

    public static final String COLLECTION = "dead_letters";

    /** The job id, or {@code undecodable-<partition>-<offset>} for a record without one. */
    public static final String ID = "_id";
    public static final String JOB_ID = "jobId";
    public static final String OWNER = "ownerId";
    public static final String FILENAME = "filename";
    public static final String TIER = "tier";
    public static final String ERROR_CODE = "errorCode";
    public static final String EXCEPTION_CLASS = "exceptionClass";
    public static final String EXCEPTION_MESSAGE = "exceptionMessage";
    public static final String ATTEMPTS = "attempts";
    public static final String FAILED_AT = "failedAt";
    public static final String ORIGINAL_TOPIC = "originalTopic";
    /** Where the record sits on {@code spool.jobs.dlq}; a later dead-lettering of the same job has a higher offset. */
    public static final String DLQ_PARTITION = "dlqPartition";
    public static final String DLQ_OFFSET = "dlqOffset";
    /** The work record as JSON, which a replay sends again with its attempts reset; absent when undecodable. */
    public static final String RECORD = "record";
    public static final String STATUS = "status";
    public static final String REPLAY_COUNT = "replayCount";
    public static final String LAST_REPLAYED_AT = "lastReplayedAt";
    public static final String LAST_REPLAYED_BY = "lastReplayedBy";

    /** What became of an entry. */
    public enum Status {
        /** On the dead-letter topic, waiting for an operator. */
        DEAD,
        /** Sent back to its tier; dead again only if it fails again. */
        REPLAYED,
        /** Given up on by an operator; never replayed. */
        PURGED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromWireName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    private DeadLetterStorage() {
    }
}
