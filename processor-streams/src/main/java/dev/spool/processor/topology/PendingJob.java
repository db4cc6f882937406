package dev.spool.processor.topology;

import dev.spool.schemas.topic.WorkRecordHeaders;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * A work record as it was read, with where it was read: what a stream task keeps of a job while the job is in
 * flight, so that it can run the job again after a crash and dead-letter it with its original bytes, headers and
 * position.
 *
 * @param key the job id
 * @param value the record's bytes, exactly as read
 * @param headers the record's headers
 * @param timestamp the record's timestamp
 * @param topic where it was read
 * @param partition where it was read
 * @param offset where it was read
 */
record PendingJob(String key, byte[] value, Header[] headers, long timestamp, String topic, int partition,
        long offset) {

    private static final int UNKNOWN = -1;

    PendingJob {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(topic, "topic");
    }

    /**
     * The record as the processor sees it, at the position of {@code source}; without one (a record forwarded by
     * another processor) the position is unknown and {@code topic} stands in for it.
     */
    static PendingJob of(Record<String, byte[]> record, Optional<RecordMetadata> source, String topic) {
        return new PendingJob(record.key(), record.value() == null ? new byte[0] : record.value(),
                record.headers().toArray(), record.timestamp(), source.map(RecordMetadata::topic).orElse(topic),
                source.map(RecordMetadata::partition).orElse(UNKNOWN), source.map(RecordMetadata::offset).orElse(-1L));
    }

    /** The document that travels with the work record ({@link WorkRecordHeaders#DOCUMENT}), or {@code null}. */
    byte[] document() {
        for (int i = headers.length - 1; i >= 0; i--) {
            if (WorkRecordHeaders.DOCUMENT.equals(headers[i].key())) {
                return headers[i].value();
            }
        }
        return null;
    }

    /** Whether the topic, partition and offset are where the record was read. */
    boolean positionKnown() {
        return partition != UNKNOWN;
    }

    /** The record to decode or dead-letter, with copies of the headers so that the caller may add its own. */
    Record<String, byte[]> record() {
        return new Record<>(key, value, timestamp, new RecordHeaders(headers.clone()));
    }
}
