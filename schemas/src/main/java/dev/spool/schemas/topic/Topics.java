package dev.spool.schemas.topic;

import dev.spool.schemas.analytics.JobStats;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.envelope.JobEventDeserializer;
import dev.spool.schemas.envelope.JobEventSerializer;
import dev.spool.schemas.envelope.JobViewDeserializer;
import dev.spool.schemas.envelope.JobViewSerializer;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.servicelevel.ServiceLevelSetting;
import dev.spool.schemas.view.JobView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one place where Spool's topics are defined: each one's name, settings and serializers. Services create the
 * topics they own from these and produce and consume through them; nobody spells a topic name anywhere else.
 */
public final class Topics {

    /** Default number of retry topics (one per attempt). */
    public static final int DEFAULT_RETRIES = 3;

    private static final int PARTITIONS = 6;
    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration DAY = Duration.ofDays(1);

    /**
     * The names alone, for annotations, which take constants only ({@code @KafkaListener(topics = ...)}); everything
     * else uses the typed topics.
     */
    public static final class Names {

        public static final String JOBS_HIGH = "spool.jobs.high";
        public static final String JOBS_NORMAL = "spool.jobs.normal";
        public static final String JOBS_LOW = "spool.jobs.low";
        public static final String RETRY_PREFIX = "spool.jobs.retry-";
        public static final String DLQ = "spool.jobs.dlq";
        public static final String JOB_EVENTS = "spool.job-events";
        public static final String JOB_PROGRESS = "spool.job-progress";
        public static final String JOB_STATE = "spool.job-state";
        public static final String ANALYTICS_JOB_STATS = "spool.analytics.job-stats";
        public static final String SERVICE_LEVEL = "spool.service-level";

        private Names() {
        }
    }

    /** Work records ({@code job.accepted}) of the high tier. */
    public static final Topic<String, JobEvent> JOBS_HIGH = events(TopicSpec.deleting(Names.JOBS_HIGH, PARTITIONS, WEEK));

    /** Work records of the normal tier. */
    public static final Topic<String, JobEvent> JOBS_NORMAL =
            events(TopicSpec.deleting(Names.JOBS_NORMAL, PARTITIONS, WEEK));

    /** Work records of the low tier. */
    public static final Topic<String, JobEvent> JOBS_LOW = events(TopicSpec.deleting(Names.JOBS_LOW, PARTITIONS, WEEK));

    /**
     * Work records that failed for good, each as it was read (its bytes and headers, so that a replay sends exactly
     * that), with error headers ({@code WorkRecordHeaders}); kept 30 days.
     */
    public static final Topic<String, byte[]> DLQ = new Topic<>(
            TopicSpec.deleting(Names.DLQ, PARTITIONS, Duration.ofDays(30)), Serdes.String(),
            source -> new ByteArraySerializer(), ByteArrayDeserializer::new);

    /** The committed facts; kept forever so that views can be rebuilt from them. */
    public static final Topic<String, JobEvent> JOB_EVENTS = events(TopicSpec.deleting(Names.JOB_EVENTS, PARTITIONS, null));

    /** Live signals (started, progress), written outside transactions. */
    public static final Topic<String, JobEvent> JOB_PROGRESS =
            events(TopicSpec.deleting(Names.JOB_PROGRESS, PARTITIONS, DAY));

    /** Latest view per job, compacted. */
    public static final Topic<String, JobView> JOB_STATE = new Topic<>(TopicSpec.compacted(Names.JOB_STATE, PARTITIONS),
            Serdes.String(), source -> new JobViewSerializer(), JobViewDeserializer::new);

    /** Per-window job statistics for downstream analytics, keyed by the window's start; one partition, kept 30 days. */
    public static final Topic<String, JobStats> ANALYTICS_JOB_STATS = new Topic<>(
            TopicSpec.deleting(Names.ANALYTICS_JOB_STATS, 1, Duration.ofDays(30)), Serdes.String(),
            source -> json(), () -> json(JobStats.class));

    /**
     * The service level operators set, compacted, one partition and one key ({@link ServiceLevelSetting#KEY}): every
     * ingest instance reads it from the beginning and applies the latest record.
     */
    public static final Topic<String, ServiceLevelSetting> SERVICE_LEVEL = new Topic<>(
            TopicSpec.compacted(Names.SERVICE_LEVEL, 1), Serdes.String(), source -> json(),
            () -> json(ServiceLevelSetting.class));

    private Topics() {
    }

    /** The retry topic that holds records waiting for attempt {@code attempt} (1-based). */
    public static Topic<String, JobEvent> retry(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("retry attempts start at 1, got " + attempt);
        }
        return events(TopicSpec.deleting(Names.RETRY_PREFIX + attempt, PARTITIONS, WEEK));
    }

    /** The job topic that carries the work of {@code tier}. */
    public static Topic<String, JobEvent> jobs(Priority tier) {
        return switch (tier) {
            case HIGH -> JOBS_HIGH;
            case NORMAL -> JOBS_NORMAL;
            case LOW -> JOBS_LOW;
        };
    }

    /** The job (tier) topics, highest tier first. */
    public static List<Topic<String, JobEvent>> jobTopics() {
        return List.of(JOBS_HIGH, JOBS_NORMAL, JOBS_LOW);
    }

    /** Topics the processor owns: retries, dead letters, live progress and analytics. */
    public static List<TopicSpec> processorTopics(int retries) {
        List<TopicSpec> specs = new ArrayList<>();
        for (int attempt = 1; attempt <= retries; attempt++) {
            specs.add(retry(attempt).spec());
        }
        specs.add(DLQ.spec());
        specs.add(JOB_PROGRESS.spec());
        specs.add(ANALYTICS_JOB_STATS.spec());
        return List.copyOf(specs);
    }

    /** The settings of {@code topics}, for creating them. */
    public static List<TopicSpec> specs(List<? extends Topic<?, ?>> topics) {
        return topics.stream().map(Topic::spec).toList();
    }

    private static Topic<String, JobEvent> events(TopicSpec spec) {
        return new Topic<>(spec, Serdes.String(), JobEventSerializer::new, JobEventDeserializer::new);
    }

    private static <T> Serializer<T> json() {
        return (topic, value) -> value == null ? null : EventJson.mapper().writeValueAsBytes(value);
    }

    private static <T> Deserializer<T> json(Class<T> type) {
        return (topic, bytes) -> bytes == null ? null : EventJson.mapper().readValue(bytes, type);
    }
}
