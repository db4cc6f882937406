package dev.spool.processor.progress;

import dev.spool.processor.extraction.ProgressSink;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.Topics;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends live signals to {@code spool.job-progress} through its own idempotent, non-transactional producer:
 * written inside the Streams transaction they would stay invisible to read_committed readers until commit.
 */
public final class KafkaProgressSink implements ProgressSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaProgressSink.class);

    private final Producer<String, JobEvent> producer;

    public KafkaProgressSink(Producer<String, JobEvent> producer) {
        this.producer = Objects.requireNonNull(producer, "producer");
    }

    @Override
    public void publish(JobEvent signal) {
        producer.send(Topics.JOB_PROGRESS.record(signal.jobId(), signal), (metadata, error) -> {
            if (error != null) {
                LOG.warn("Lost {} signal of job {}: {}", signal.type().shortName(), signal.jobId(), error.toString());
            }
        });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
