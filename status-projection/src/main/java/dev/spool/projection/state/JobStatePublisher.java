package dev.spool.projection.state;

import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes the latest view of a job to the compacted {@code spool.job-state} topic, keyed by job id, for consumers
 * that want state rather than events. At least once: a redelivered batch publishes the same views again, which
 * compaction makes harmless. A deleted job is published as a tombstone record (no value), so that compaction
 * removes every view of it from the topic.
 */
public final class JobStatePublisher implements AutoCloseable {

    private final Producer<String, JobView> producer;
    private final Duration timeout;

    public JobStatePublisher(Producer<String, JobView> producer, Duration timeout) {
        this.producer = producer;
        this.timeout = timeout;
    }

    /**
     * Sends every view at once and then waits for all the broker's acknowledgements, together within the timeout;
     * the producer batches them, so a batch of views costs about one round trip.
     *
     * @throws KafkaException when one was not acknowledged in time; retry the batch
     */
    public void publish(Collection<JobView> views) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(views.size());
        for (JobView view : views) {
            JobView value = view.status() == JobStatus.DELETED ? null : view;
            sends.add(producer.send(Topics.JOB_STATE.record(view.jobId(), value)));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Future<RecordMetadata> send : sends) {
            awaitAcknowledged(send, deadline, views.size());
        }
    }

    private static void awaitAcknowledged(Future<RecordMetadata> send, long deadline, int views) {
        try {
            send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while publishing the state of " + views + " jobs", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("the state of " + views + " jobs was not acknowledged", e);
        }
    }

    @Override
    public void close() {
        producer.close(timeout);
    }
}
