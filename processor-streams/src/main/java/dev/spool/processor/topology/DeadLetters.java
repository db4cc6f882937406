package dev.spool.processor.topology;

import dev.spool.schemas.topic.WorkRecordHeaders;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Builds dead-letter records: the work record as it was read (key, value bytes and its own headers, so it can be
 * replayed as is, but for a document that travelled with it) plus the error headers of {@link WorkRecordHeaders}.
 */
final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * The dead letter of {@code failed}.
     *
     * @param code an error code wire name, or {@code undecodable}
     * @param cause what went wrong
     * @param attempts attempts made, or 0 when the record could not be read at all
     */
    static Record<String, Object> of(PendingJob failed, String code, Throwable cause, int attempts, Instant now) {
        Headers headers = new RecordHeaders(failed.headers().clone());
        // The stored object is the document of record; a dead letter need not be another copy of it.
        headers.remove(WorkRecordHeaders.DOCUMENT);
        put(headers, WorkRecordHeaders.ERROR_CODE, code);
        put(headers, WorkRecordHeaders.EXCEPTION_CLASS, cause.getClass().getName());
        put(headers, WorkRecordHeaders.EXCEPTION_MESSAGE, String.valueOf(cause.getMessage()));
        String stackTrace = stackTrace(cause);
        put(headers, WorkRecordHeaders.STACK_TRACE, stackTrace);
        put(headers, WorkRecordHeaders.ATTEMPTS, Integer.toString(attempts));
        if (failed.positionKnown()) {
            put(headers, WorkRecordHeaders.ORIGINAL_TOPIC, failed.topic());
            put(headers, WorkRecordHeaders.ORIGINAL_PARTITION, Integer.toString(failed.partition()));
            put(headers, WorkRecordHeaders.ORIGINAL_OFFSET, Long.toString(failed.offset()));
        }
        put(headers, WorkRecordHeaders.ORIGINAL_TIMESTAMP, Instant.ofEpochMilli(failed.timestamp()).toString());
        put(headers, WorkRecordHeaders.FAILED_AT, now.toString());
        addSpringKafkaHeaders(headers, failed, cause, stackTrace);
        return new Record<>(failed.key(), failed.value(), now.toEpochMilli(), headers);
    }

    /** What spring-kafka's dead-letter tooling reads, in its own names and encoding. */
    private static void addSpringKafkaHeaders(Headers headers, PendingJob failed, Throwable cause,
            String stackTrace) {
        if (failed.positionKnown()) {
            put(headers, WorkRecordHeaders.DLT_ORIGINAL_TOPIC, failed.topic());
            put(headers, WorkRecordHeaders.DLT_ORIGINAL_PARTITION,
                    ByteBuffer.allocate(Integer.BYTES).putInt(failed.partition()).array());
            put(headers, WorkRecordHeaders.DLT_ORIGINAL_OFFSET,
                    ByteBuffer.allocate(Long.BYTES).putLong(failed.offset()).array());
        }
        put(headers, WorkRecordHeaders.DLT_ORIGINAL_TIMESTAMP,
                ByteBuffer.allocate(Long.BYTES).putLong(failed.timestamp()).array());
        // Work records carry their producer's time: no Spool topic appends the broker's.
        put(headers, WorkRecordHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE, TimestampType.CREATE_TIME.toString());
        put(headers, WorkRecordHeaders.DLT_EXCEPTION_FQCN, cause.getClass().getName());
        put(headers, WorkRecordHeaders.DLT_EXCEPTION_MESSAGE, String.valueOf(cause.getMessage()));
        put(headers, WorkRecordHeaders.DLT_EXCEPTION_STACKTRACE, stackTrace);
    }

    private static void put(Headers headers, String name, String value) {
        put(headers, name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void put(Headers headers, String name, byte[] value) {
        headers.remove(name);
        headers.add(name, value);
    }

    static String stackTrace(Throwable cause) {
        StringWriter trace = new StringWriter();
        cause.printStackTrace(new PrintWriter(trace));
        String text = trace.toString();
        return text.length() <= WorkRecordHeaders.STACK_TRACE_LIMIT ? text : text.substring(0, WorkRecordHeaders.STACK_TRACE_LIMIT);
    }
}
