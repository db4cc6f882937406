package dev.spool.schemas.deadletter;

import dev.spool.schemas.deadletter.DeadLetterStorage.Status;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * The one mapping between a {@link DeadLetter} and its MongoDB document, for the service that writes it and the one
 * that reads it.
 */
public final class DeadLetterDocuments {

    private DeadLetterDocuments() {
    }

    /** The entry stored in {@code document}. */
    public static DeadLetter read(Document document) {
        String status = document.getString(DeadLetterStorage.STATUS);
        return new DeadLetter(
                document.getString(DeadLetterStorage.ID),
                document.getString(DeadLetterStorage.JOB_ID),
                document.getString(DeadLetterStorage.OWNER),
                document.getString(DeadLetterStorage.FILENAME),
                document.getString(DeadLetterStorage.TIER),
                document.getString(DeadLetterStorage.ERROR_CODE),
                document.getString(DeadLetterStorage.EXCEPTION_CLASS),
                document.getString(DeadLetterStorage.EXCEPTION_MESSAGE),
                intValue(document, DeadLetterStorage.ATTEMPTS),
                instant(document, DeadLetterStorage.FAILED_AT),
                document.getString(DeadLetterStorage.ORIGINAL_TOPIC),
                intValue(document, DeadLetterStorage.DLQ_PARTITION),
                longValue(document, DeadLetterStorage.DLQ_OFFSET),
                document.getString(DeadLetterStorage.RECORD),
                status == null ? null : Status.fromWireName(status),
                intValue(document, DeadLetterStorage.REPLAY_COUNT),
                instant(document, DeadLetterStorage.LAST_REPLAYED_AT),
                document.getString(DeadLetterStorage.LAST_REPLAYED_BY));
    }

    /**
     * The fields a dead-lettering sets, status {@code dead} among them; the replay count and the last replay are the
     * admin API's, which a job dead-lettered again keeps.
     */
    public static Document deadLettered(DeadLetter entry) {
        return new Document()
                .append(DeadLetterStorage.JOB_ID, entry.jobId())
                .append(DeadLetterStorage.OWNER, entry.ownerId())
                .append(DeadLetterStorage.FILENAME, entry.filename())
                .append(DeadLetterStorage.TIER, entry.tier())
                .append(DeadLetterStorage.ERROR_CODE, entry.errorCode())
                .append(DeadLetterStorage.EXCEPTION_CLASS, entry.exceptionClass())
                .append(DeadLetterStorage.EXCEPTION_MESSAGE, entry.exceptionMessage())
                .append(DeadLetterStorage.ATTEMPTS, entry.attempts())
                .append(DeadLetterStorage.FAILED_AT, date(entry.failedAt()))
                .append(DeadLetterStorage.ORIGINAL_TOPIC, entry.originalTopic())
                .append(DeadLetterStorage.DLQ_PARTITION, entry.dlqPartition())
                .append(DeadLetterStorage.DLQ_OFFSET, entry.dlqOffset())
                .append(DeadLetterStorage.RECORD, entry.record())
                .append(DeadLetterStorage.STATUS, Status.DEAD.wireName());
    }

    private static int intValue(Document document, String field) {
        Number value = document.get(field, Number.class);
        return value == null ? 0 : value.intValue();
    }

    private static long longValue(Document document, String field) {
        Number value = document.get(field, Number.class);
        return value == null ? 0 : value.longValue();
    }

    private static Instant instant(Document document, String field) {
        Date value = document.getDate(field);
        return value == null ? null : value.toInstant();
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }
}
