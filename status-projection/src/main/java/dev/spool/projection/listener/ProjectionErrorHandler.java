package dev.spool.projection.listener;

import dev.spool.projection.config.ProjectionProperties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * What happens to a record or a batch the listener could not handle. A write that failed (MongoDB down, slow,
 * racing) is retried in place, with a growing pause, for as long as it takes: the partitions wait, so no event is
 * skipped and a job's events stay in order. A batch is retried whole, the same records again, which the idempotent
 * fold makes safe. A record that cannot be decoded (a poison pill, which the {@code ErrorHandlingDeserializer} turns
 * into a {@code DeserializationException}) is logged and skipped at once.
 */
public final class ProjectionErrorHandler extends DefaultErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionErrorHandler.class);

    public ProjectionErrorHandler(ProjectionProperties.Retry retry) {
        super(ProjectionErrorHandler::skip, backOff(retry));
        // logFailedAttempt reports each retried failure once; the container need not log it again
        setLogLevel(KafkaException.Level.DEBUG);
        setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(ConsumerRecord<?, ?> record, Exception error, int deliveryAttempt) {
                logFailedAttempt(record, error, deliveryAttempt);
            }

            @Override
            public void failedDelivery(ConsumerRecords<?, ?> records, Exception error, int deliveryAttempt) {
                logFailedAttempt(records, error, deliveryAttempt);
            }
        });
    }

    /** Exponential, capped, and endless. */
    static BackOff backOff(ProjectionProperties.Retry retry) {
        ExponentialBackOff backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        backOff.setMaxAttempts(Long.MAX_VALUE);
        return backOff;
    }

    private static void skip(ConsumerRecord<?, ?> record, Exception error) {
        LOG.warn("Skipping record {}-{}@{} (key {}) that cannot be processed: {}", record.topic(), record.partition(),
                record.offset(), record.key(), rootCause(error).toString());
    }

    static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** One line per failed attempt that will be retried; the first one with the stack trace. */
    private void logFailedAttempt(ConsumerRecord<?, ?> record, Exception error, int deliveryAttempt) {
        if (!getExceptionMatcher().match(error)) {
            return;
        }
        if (deliveryAttempt == 1) {
            LOG.warn("Writing record {}-{}@{} (job {}) failed; retrying until it succeeds", record.topic(), record.partition(),
                    record.offset(), record.key(), error);
        } else {
            LOG.warn("Writing record {}-{}@{} (job {}) failed {} times: {}", record.topic(), record.partition(),
                    record.offset(), record.key(), deliveryAttempt, rootCause(error).toString());
        }
    }

    /** The same for a batch: one line per failed attempt, the first one with the stack trace. */
    private void logFailedAttempt(ConsumerRecords<?, ?> records, Exception error, int deliveryAttempt) {
        if (!getExceptionMatcher().match(error)) {
            return;
        }
        if (deliveryAttempt == 1) {
            LOG.warn("Writing a batch of {} records from {} failed; retrying it until it succeeds", records.count(),
                    records.partitions(), error);
        } else {
            LOG.warn("Writing a batch of {} records from {} failed {} times: {}", records.count(), records.partitions(),
                    deliveryAttempt, rootCause(error).toString());
        }
    }
}
