package dev.spool.processor.topology;

import dev.spool.processor.extraction.AttemptOutcome;
import dev.spool.processor.extraction.FailureClassifier;
import dev.spool.processor.extraction.JobProcessing;
import dev.spool.processor.input.InputHold;
import dev.spool.processor.metrics.JobMetrics;
import dev.spool.processor.retry.FailureRoute;
import dev.spool.processor.retry.RetrySchedule;
import dev.spool.schemas.envelope.JobEventDeserializer;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobDeadLettered;
import dev.spool.schemas.event.JobError;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobFailed;
import dev.spool.schemas.event.JobRetryScheduled;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.topic.WorkRecordHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.DoubleSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the attempts of a tier's work records on the tier's job pool, many at once per task, and routes how each
 * ended, on the stream thread and inside the task's transaction: the completed or failed fact to
 * {@code spool.job-events}; a retryable failure to the retry topic of its attempt with a due time plus a
 * {@code retry-scheduled} fact; an exhausted or unexpected failure, and any record that cannot be read, to the
 * dead-letter topic with error headers plus a {@code dead-lettered} fact. Nothing here throws for a bad record, so no
 * record can stop the stream.
 *
 * <p>Exactly once with jobs in flight: a job enters the task's changelogged in-flight store in the transaction that
 * commits its input offset, and leaves it in the transaction that writes its outcome. A crash between the two leaves
 * it in the store, and whoever restores the task runs it again; a crash after the second leaves nothing to run. So an
 * input offset is never committed without either its job's outcome or the job itself being durable.
 *
 * <p>A full task (its {@code perTask} jobs running) never blocks its stream thread: a record read then waits in the
 * in-flight store, durable like a running job, and the task holds back its own partition ({@link InputHold}) until
 * every waiting job has started. So the thread goes on with its other tasks, commits on time, and no transaction stays
 * open while a job runs; what waits is bounded by what the task had buffered when it held its partition.
 */
final class JobAttemptProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(JobAttemptProcessor.class);

    private final Priority tier;
    private final JobProcessing processing;
    private final Executor jobs;
    private final InFlightLimits limits;
    private final RetrySchedule schedule;
    private final DoubleSupplier random;
    private final Clock clock;
    private final JobMetrics metrics;
    private final JobEventDeserializer decoder = new JobEventDeserializer();
    /** Jobs started by this task and not yet finished, by job id; touched by the stream thread only. */
    private final Map<String, Instant> running = new HashMap<>();
    /** Jobs read while the task was full, in the order read; each starts when a running one finishes. */
    private final Deque<Admitted> waiting = new ArrayDeque<>();
    /** Attempts that ended on the job pool, waiting for the stream thread to write their outcomes. */
    private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, PendingJob> inFlight;
    private TopicPartition input;
    private boolean holding;

    /**
     * A job in the in-flight store. Its key there is its job id; a second record of a job already in flight (a replay
     * racing its first attempt) is kept under its id and offset, and starts only when the first has finished.
     */
    private record Admitted(String storeKey, PendingJob record, JobAccepted job) {
    }

    private record Finished(Admitted job, AttemptOutcome outcome) {
    }

    JobAttemptProcessor(Priority tier, JobProcessing processing, Executor jobs, InFlightLimits limits,
            RetrySchedule schedule, DoubleSupplier random, Clock clock, JobMetrics metrics) {
        this.tier = tier;
        this.processing = processing;
        this.jobs = jobs;
        this.limits = limits;
        this.schedule = schedule;
        this.random = random;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.inFlight = context.getStateStore(WorkTopology.IN_FLIGHT);
        this.input = new TopicPartition(Topics.jobs(tier).name(), context.taskId().partition());
        context.schedule(limits.drainInterval(), PunctuationType.WALL_CLOCK_TIME, now -> drain());
        resumeInFlight();
    }

    /** Runs again the jobs a previous owner of this task left in flight: a crash, or a rebalance mid-job. */
    private void resumeInFlight() {
        int resumed = 0;
        try (KeyValueIterator<String, PendingJob> pending = inFlight.all()) {
            while (pending.hasNext()) {
                KeyValue<String, PendingJob> entry = pending.next();
                PendingJob record = entry.value;
                if (decoder.deserialize(record.topic(), record.record().headers(), record.value())
                        instanceof JobAccepted job) {
                    admit(new Admitted(entry.key, record, job));
                    resumed++;
                }
            }
        }
        if (resumed > 0) {
            LOG.info("Resuming {} {} jobs left in flight by the task's previous owner", resumed, tier.wireName());
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        drain();
        PendingJob pending = PendingJob.of(record, context.recordMetadata(), Topics.jobs(tier).name());
        JobEvent event;
        try {
            event = decoder.deserialize(pending.topic(), record.headers(), record.value());
        } catch (RuntimeException undecodable) {
            LOG.warn("Dead-lettering an unreadable work record (key {}) from {}: {}", record.key(), pending.topic(),
                    undecodable.toString());
            deadLetter(pending, "undecodable", undecodable, 0);
            return;
        }
        if (!(event instanceof JobAccepted job)) {
            // an event type this version does not know (the decoder logged it), or not work at all
            return;
        }
        String storeKey = isInFlight(job.jobId()) ? job.jobId() + "@" + pending.offset() : job.jobId();
        inFlight.put(storeKey, pending);
        admit(new Admitted(storeKey, pending, job));
        drain();
    }

    /** Starts the job if the task has room and nothing waits before it; else it waits, and the task holds its input. */
    private void admit(Admitted job) {
        if (waiting.isEmpty() && running.size() < limits.perTask() && !running.containsKey(job.job().jobId())) {
            start(job);
            return;
        }
        waiting.add(job);
        metrics.waiting(tier, 1);
        if (!holding) {
            holding = true;
            InputHold.ofCurrentThread().hold(input);
            LOG.debug("{} jobs of this {} task running; holding back partition {} until one finishes", running.size(),
                    tier.wireName(), input.partition());
        }
    }

    private boolean isInFlight(String jobId) {
        return running.containsKey(jobId) || waiting.stream().anyMatch(next -> next.job().jobId().equals(jobId));
    }

    /** Starts waiting jobs, in order, while there is room; lets the input flow again once none waits. */
    private void startWaiting() {
        Iterator<Admitted> next = waiting.iterator();
        while (running.size() < limits.perTask() && next.hasNext()) {
            Admitted job = next.next();
            if (!running.containsKey(job.job().jobId())) {
                next.remove();
                metrics.waiting(tier, -1);
                start(job);
            }
        }
        if (waiting.isEmpty() && holding) {
            holding = false;
            InputHold.ofCurrentThread().release(input);
        }
    }

    private void start(Admitted job) {
        running.put(job.job().jobId(), clock.instant());
        metrics.started(tier);
        jobs.execute(() -> finished.add(new Finished(job, attempt(job.job(), job.record().document()))));
    }

    /** Runs on the job pool. */
    private AttemptOutcome attempt(JobAccepted job, byte[] document) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", job.jobId())) {
            return processing.process(job, document);
        } catch (RuntimeException | Error unexpected) {
            // JobProcessing classifies its own failures; this is the pool thread's last line, so the job still ends
            return new AttemptOutcome.Failed(FailureClassifier.classify(unexpected), unexpected, clock.instant());
        }
    }

    private void drain() {
        for (Finished next = finished.poll(); next != null; next = finished.poll()) {
            finish(next);
        }
    }

    private void finish(Finished done) {
        JobAccepted job = done.job().job();
        Instant started = running.remove(job.jobId());
        inFlight.delete(done.job().storeKey());
        try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", job.jobId())) {
            route(done.job().record(), job, done.outcome(), started == null ? clock.instant() : started);
        }
        startWaiting();
    }

    private void route(PendingJob record, JobAccepted job, AttemptOutcome outcome, Instant started) {
        if (outcome instanceof AttemptOutcome.Completed completed) {
            metrics.finished(tier, "completed", null, Duration.between(started, clock.instant()));
            fact(completed.fact());
            return;
        }
        AttemptOutcome.Failed failed = (AttemptOutcome.Failed) outcome;
        JobError error = failed.error();
        FailureRoute route = FailureRoute.of(error, job.attempt(), schedule);
        Duration took = Duration.between(started, failed.failedAt());
        if (route == FailureRoute.RETRY) {
            metrics.finished(tier, "retried", error.code(), took);
            retry(job, failed);
        } else if (route == FailureRoute.FAIL) {
            metrics.finished(tier, "failed", error.code(), took);
            LOG.info("Attempt {} failed with {}; not retried: {}", job.attempt(), error.code().wireName(), error.message());
            fact(new JobFailed(job.jobId(), job.attempt(), error, failed.failedAt()));
        } else {
            metrics.finished(tier, "dead_lettered", error.code(), took);
            LOG.warn("Attempt {} failed with {}; dead-lettered: {}", job.attempt(), error.code().wireName(),
                    error.message(), failed.cause());
            deadLetter(record, error.code().wireName(), failed.cause(), job.attempt());
            fact(new JobDeadLettered(job.jobId(), job.attempt(), error, failed.failedAt()));
        }
    }

    private void retry(JobAccepted job, AttemptOutcome.Failed failed) {
        Instant now = failed.failedAt();
        Instant dueAt = now.plus(schedule.delay(job.attempt(), random.getAsDouble()));
        int next = job.attempt() + 1;
        LOG.info("Attempt {} failed with {}; attempt {} due at {}", job.attempt(), failed.error().code().wireName(), next,
                dueAt);
        metrics.retryScheduled(next);
        fact(new JobRetryScheduled(job.jobId(), job.attempt(), failed.error(), dueAt, now));
        RecordHeaders headers = new RecordHeaders();
        headers.add(WorkRecordHeaders.DUE_AT, dueAt.toString().getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<String, Object>(job.jobId(), job.forAttempt(next, now), now.toEpochMilli(), headers),
                WorkTopology.RETRIES);
    }

    private void fact(JobEvent fact) {
        context.forward(new Record<String, Object>(fact.jobId(), fact, fact.occurredAt().toEpochMilli()), WorkTopology.FACTS);
    }

    private void deadLetter(PendingJob record, String code, Throwable cause, int attempts) {
        metrics.deadLettered(code);
        context.forward(DeadLetters.of(record, code, cause, attempts, clock.instant()), WorkTopology.DEAD_LETTERS);
    }

    /**
     * The task is closing (rebalance or shutdown): jobs still running are left to finish on the pool unread. They stay
     * in the in-flight store, so the task's next owner runs them again and only its outcome is written.
     */
    @Override
    public void close() {
        if (!running.isEmpty() || !waiting.isEmpty()) {
            LOG.info("Closing a {} task with {} jobs running and {} waiting; its next owner runs them again",
                    tier.wireName(), running.size(), waiting.size());
            metrics.abandoned(tier, running.size());
            metrics.waiting(tier, -waiting.size());
            running.clear();
            waiting.clear();
        }
        if (holding) {
            holding = false;
            InputHold.ofCurrentThread().release(input);
        }
        finished.clear();
    }
}
