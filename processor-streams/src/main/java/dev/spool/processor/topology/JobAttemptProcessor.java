package dev.spool.processor.topology;

import dev.spool.processor.extraction.AttemptOutcome;
import dev.spool.processor.extraction.JobProcessing;
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
import dev.spool.schemas.topic.Priority;
import dev.spool.schemas.topic.WorkRecordHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one attempt per work record of a tier and routes how it ended, all inside the task's transaction: the
 * completed or failed fact to {@code spool.job-events}; a retryable failure to the retry topic of its attempt with a
 * due time plus a {@code retry-scheduled} fact; an exhausted or unexpected failure, and any record that cannot be
 * read, to the dead-letter topic with error headers plus a {@code dead-lettered} fact. Nothing here throws for a
 * bad record, so no record can stop the stream.
 */
final class JobAttemptProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(JobAttemptProcessor.class);

    private final Priority tier;
    private final JobProcessing processing;
    private final RetrySchedule schedule;
    private final DoubleSupplier random;
    private final Clock clock;
    private final JobMetrics metrics;
    private final JobEventDeserializer decoder = new JobEventDeserializer();
    private ProcessorContext<String, Object> context;

    JobAttemptProcessor(Priority tier, JobProcessing processing, RetrySchedule schedule, DoubleSupplier random,
            Clock clock, JobMetrics metrics) {
        this.tier = tier;
        this.processing = processing;
        this.schedule = schedule;
        this.random = random;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(tier.topic());
        JobEvent event;
        try {
            event = decoder.deserialize(topic, record.headers(), record.value());
        } catch (RuntimeException undecodable) {
            LOG.warn("Dead-lettering an unreadable work record (key {}) from {}: {}", record.key(), topic,
                    undecodable.toString());
            deadLetter(record, "undecodable", undecodable, 0);
            return;
        }
        if (!(event instanceof JobAccepted job)) {
            // an event type this version does not know (the decoder logged it), or not work at all
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", job.jobId())) {
            attempt(record, job);
        }
    }

    private void attempt(Record<String, byte[]> record, JobAccepted job) {
        Instant started = clock.instant();
        metrics.started(tier);
        AttemptOutcome outcome = processing.process(job);
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

    private void deadLetter(Record<String, byte[]> record, String code, Throwable cause, int attempts) {
        metrics.deadLettered(code);
        context.forward(DeadLetters.of(record, code, cause, attempts, context.recordMetadata(), clock.instant()),
                WorkTopology.DEAD_LETTERS);
    }
}
