package dev.spool.projection.deadletter;

import dev.spool.schemas.topic.Topics;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Projects {@code spool.jobs.dlq} into the dead-letter index, in a consumer group of its own
 * ({@code spool-projection-dlq}) so that neither view writer waits for it. An offset is committed once the entry is
 * written; a failed write is retried by the projection's error handler, never skipped.
 */
class DeadLetterListener {

    static final String ID = "spool-projection-dlq";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterListener.class);

    private final DeadLetterIndex index;
    private final Duration timeout;

    DeadLetterListener(DeadLetterIndex index, Duration timeout) {
        this.index = index;
        this.timeout = timeout;
    }

    @KafkaListener(id = ID, idIsGroup = false, topics = Topics.Names.DLQ,
            containerFactory = DeadLetterConfiguration.FACTORY)
    void onDeadLetter(ConsumerRecord<String, byte[]> record) {
        DeadLetterEntry entry = DeadLetterEntry.of(record.topic(), record.partition(), record.offset(),
                record.timestamp(), record.headers(), record.value());
        try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", entry.job() == null ? null : entry.id())) {
            boolean changed = Boolean.TRUE.equals(index.record(entry).block(timeout));
            if (changed) {
                LOG.info("Dead letter {} indexed: {} after {} attempts ({})", entry.id(), entry.errorCode(),
                        entry.attempts(), entry.exceptionClass());
            }
        }
    }
}
