package dev.spool.projection.deadletter;

import dev.spool.schemas.deadletter.DeadLetter;
import dev.spool.schemas.deadletter.DeadLetterStorage;
import dev.spool.schemas.envelope.JobEventDeserializer;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.WorkRecordHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One record of {@code spool.jobs.dlq} as the index keeps it: who and what failed, how, and the work record to send
 * again. A record that does not decode as a job's work (code {@code undecodable}) is kept too, under an id of its
 * own, so operators see it, but it can never be replayed.
 *
 * @param id the index id: the job id, or {@code undecodable-<partition>-<offset>}
 * @param job the work record, or {@code null} when undecodable
 * @param record the record value as stored: the work record's JSON, or Base64 of an undecodable value
 */
public record DeadLetterEntry(String id, JobAccepted job, String errorCode, String exceptionClass,
        String exceptionMessage, int attempts, Instant failedAt, String originalTopic, int partition, long offset,
        String record) {

    /** Reads a dead-letter record; never fails, since an unreadable record is itself worth listing. */
    static DeadLetterEntry of(String topic, int partition, long offset, long timestamp, Headers headers, byte[] value) {
        JobAccepted job = decode(topic, headers, value);
        String id = job != null ? job.jobId() : "undecodable-" + partition + "-" + offset;
        String record = value == null ? "" : job != null ? new String(value, StandardCharsets.UTF_8)
                : Base64.getEncoder().encodeToString(value);
        return new DeadLetterEntry(id, job, header(headers, WorkRecordHeaders.ERROR_CODE, "undecodable"),
                header(headers, WorkRecordHeaders.EXCEPTION_CLASS, null),
                header(headers, WorkRecordHeaders.EXCEPTION_MESSAGE, null),
                parseInt(header(headers, WorkRecordHeaders.ATTEMPTS, null)),
                parseInstant(header(headers, WorkRecordHeaders.FAILED_AT, null), Instant.ofEpochMilli(timestamp)),
                header(headers, WorkRecordHeaders.ORIGINAL_TOPIC, null), partition, offset, record);
    }

    /** The index entry this record makes, freshly dead-lettered. */
    DeadLetter deadLetter() {
        return new DeadLetter(id, job == null ? null : job.jobId(), job == null ? null : job.ownerId(),
                job == null ? null : job.filename(), job == null ? null : job.priority().wireName(), errorCode,
                exceptionClass, exceptionMessage, attempts, failedAt, originalTopic, partition, offset, record,
                DeadLetterStorage.Status.DEAD, 0, null, null);
    }

    private static JobAccepted decode(String topic, Headers headers, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JobEvent event = new JobEventDeserializer().deserialize(topic, headers, value);
            return event instanceof JobAccepted accepted && accepted.jobId() != null ? accepted : null;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static String header(Headers headers, String name, String fallback) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? fallback
                : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static int parseInt(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant parseInstant(String value, Instant fallback) {
        try {
            return value == null ? fallback : Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
