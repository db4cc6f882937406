package dev.spool.processor.topology;

import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.envelope.JobEventDeserializer;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.topic.WorkRecordHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Holds jobs waiting for their next attempt and releases each into its tier at its due time. Waiting jobs live in a
 * persistent store keyed by due time (changelogged, so a restart loses none), and a wall-clock punctuator releases
 * what is due; the stream thread never sleeps. A record that cannot be read is dead-lettered.
 */
final class DelayStage implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(DelayStage.class);

    private final Duration interval;
    private final Clock clock;
    private final JobEventDeserializer decoder = new JobEventDeserializer();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> waiting;

    DelayStage(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /** Store key: the due time, zero-padded so that keys sort by it, then the job id. */
    static String storeKey(Instant dueAt, String jobId) {
        return String.format(Locale.ROOT, "%020d|%s", dueAt.toEpochMilli(), jobId);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.waiting = context.getStateStore(DelayTopology.WAITING);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::release);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("a retry topic");
        JobEvent event;
        try {
            event = decoder.deserialize(topic, record.headers(), record.value());
        } catch (RuntimeException undecodable) {
            LOG.warn("Dead-lettering an unreadable retry record (key {}) from {}: {}", record.key(), topic,
                    undecodable.toString());
            context.forward(DeadLetters.of(PendingJob.of(record, context.recordMetadata(), topic), "undecodable",
                    undecodable, 0, clock.instant()),
                    DelayTopology.DEAD_LETTERS);
            return;
        }
        if (!(event instanceof JobAccepted job)) {
            return;
        }
        Instant dueAt = dueAt(record, job);
        try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", job.jobId())) {
            LOG.debug("Attempt {} waits until {}", job.attempt(), dueAt);
        }
        waiting.put(storeKey(dueAt, job.jobId()), EventJson.mapper().writeValueAsBytes(job));
    }

    /** The record's due time; one that does not say is due at once rather than lost. */
    private static Instant dueAt(Record<String, byte[]> record, JobAccepted job) {
        Header header = record.headers().lastHeader(WorkRecordHeaders.DUE_AT);
        if (header != null) {
            try {
                return Instant.parse(new String(header.value(), StandardCharsets.UTF_8));
            } catch (DateTimeParseException e) {
                LOG.warn("Job {}: retry record has an unreadable {} header; releasing it now", job.jobId(),
                        WorkRecordHeaders.DUE_AT);
            }
        }
        return Instant.ofEpochMilli(record.timestamp());
    }

    private void release(long now) {
        String upTo = storeKey(Instant.ofEpochMilli(now), "\uffff");
        List<KeyValue<String, byte[]>> due = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> entries = waiting.range(null, upTo)) {
            entries.forEachRemaining(due::add);
        }
        for (KeyValue<String, byte[]> entry : due) {
            JobAccepted job = EventJson.mapper().readValue(entry.value, JobAccepted.class);
            try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", job.jobId())) {
                LOG.info("Attempt {} released into {}", job.attempt(), Topics.jobs(job.priority()));
            }
            context.forward(new Record<String, Object>(job.jobId(), job, now), DelayTopology.RELEASE);
            waiting.delete(entry.key);
        }
    }
}
