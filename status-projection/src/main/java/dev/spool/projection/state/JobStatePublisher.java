package dev.spool.projection.state;

import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.view.JobView;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes the latest view of a job to the compacted {@code spool.job-state} topic, keyed by job id, for consumers
 * that want state rather than events. At least once: a redelivered event publishes the same view again, which
 * compaction makes harmless.
 */
public final class JobStatePublisher implements AutoCloseable {

    private final Producer<String, JobView> producer;
    private final Duration timeout;

    public JobStatePublisher(Producer<String, JobView> producer, Duration timeout) {
        this.producer = producer;
        this.timeout = timeout;
    }

    /**
     * Sends {@code view} and waits for the broker's acknowledgement.
     *
     * @throws KafkaException when it was not acknowledged in time; retry the event
     */
    public void publish(JobView view) {
        try {
            producer.send(new ProducerRecord<>(Topics.JOB_STATE, view.jobId(), view))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while publishing the state of job " + view.jobId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("the state of job " + view.jobId() + " was not acknowledged", e);
        }
    }

    @Override
    public void close() {
        producer.close(timeout);
    }
}
