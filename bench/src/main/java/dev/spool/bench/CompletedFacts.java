package dev.spool.bench;

import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobFailed;
import dev.spool.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Watches {@code spool.job-events} (read committed, from its end) on a thread of its own and notes when each
 * job's completed (or failed) fact became visible, on the bench's {@link System#nanoTime()} clock.
 */
final class CompletedFacts implements AutoCloseable {

    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final Map<String, Long> failed = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;
    private final CountDownLatch assigned = new CountDownLatch(1);

    CompletedFacts(String bootstrapServers) throws InterruptedException {
        KafkaConsumer<String, JobEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-facts-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), Topics.JOB_EVENTS.keyDeserializer(),
                Topics.JOB_EVENTS.valueDeserializer());
        poller = new Thread(() -> {
            try (consumer) {
                consumer.subscribe(List.of(Topics.JOB_EVENTS.name()));
                while (running.get()) {
                    for (ConsumerRecord<String, JobEvent> record : consumer.poll(Duration.ofMillis(20))) {
                        if (record.value() instanceof JobCompleted) {
                            seen.putIfAbsent(record.key(), System.nanoTime());
                        } else if (record.value() instanceof JobFailed) {
                            failed.putIfAbsent(record.key(), System.nanoTime());
                        }
                    }
                    if (!consumer.assignment().isEmpty()) {
                        assigned.countDown();
                    }
                }
            }
        }, "bench-completed-facts");
        poller.setDaemon(true);
        poller.start();
        if (!assigned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no partitions of " + Topics.JOB_EVENTS + " assigned within a minute");
        }
    }

    /** When the job's completed fact became visible; waits for it. */
    long awaitCompleted(String jobId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Long at = seen.get(jobId);
            if (at != null) {
                return at;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no completed fact for job " + jobId + " within " + timeout);
    }

    /** When the job's completed or failed fact became visible, and which it was; waits for either. */
    Ended awaitEnded(String jobId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Long completedAt = seen.get(jobId);
            if (completedAt != null) {
                return new Ended(true, completedAt);
            }
            Long failedAt = failed.get(jobId);
            if (failedAt != null) {
                return new Ended(false, failedAt);
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no completed or failed fact for job " + jobId + " within " + timeout);
    }

    /** Whether the job has a completed or a failed fact yet. */
    boolean ended(String jobId) {
        return seen.containsKey(jobId) || failed.containsKey(jobId);
    }

    /**
     * How a job ended.
     *
     * @param completed whether with a completed fact; otherwise a failed one
     * @param at when the fact became visible, on {@link System#nanoTime()}
     */
    record Ended(boolean completed, long at) {
    }

    /**
     * Waits until every job in {@code jobs} has its completed fact or {@code within} has passed, and measures each
     * job from its {@link AcceptedJob#acceptedAt()} to its fact.
     */
    Drained drain(Collection<AcceptedJob> jobs, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        List<Double> latencies = new ArrayList<>(jobs.size());
        long lastCompletion = Long.MIN_VALUE;
        int notCompleted = 0;
        for (AcceptedJob job : jobs) {
            try {
                long completedAt = awaitCompleted(job.jobId(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                latencies.add((completedAt - job.acceptedAt()) / 1e6);
                lastCompletion = Math.max(lastCompletion, completedAt);
            } catch (IllegalStateException late) {
                notCompleted++;
            }
        }
        return new Drained(latencies, lastCompletion, notCompleted);
    }

    /**
     * What a drain found.
     *
     * @param latenciesMillis from acceptance to completed fact, one per completed job
     * @param lastCompletion when the last fact became visible, on {@link System#nanoTime()}; {@link Long#MIN_VALUE}
     *     when none did
     * @param notCompleted jobs without a completed fact in time
     */
    record Drained(List<Double> latenciesMillis, long lastCompletion, int notCompleted) {

        Drained {
            latenciesMillis = List.copyOf(latenciesMillis);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        poller.join(5000);
    }
}
