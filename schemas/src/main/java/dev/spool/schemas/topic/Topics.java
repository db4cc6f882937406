package dev.spool.schemas.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where Spool's topic names and their settings are defined. Services create the topics they own
 * from these specs; nobody spells a topic name anywhere else.
 */
public final class Topics {

    public static final String JOBS_HIGH = "spool.jobs.high";
    public static final String JOBS_NORMAL = "spool.jobs.normal";
    public static final String JOBS_LOW = "spool.jobs.low";
    public static final String RETRY_PREFIX = "spool.jobs.retry-";
    public static final String DLQ = "spool.jobs.dlq";
    public static final String JOB_EVENTS = "spool.job-events";
    public static final String JOB_PROGRESS = "spool.job-progress";
    public static final String JOB_STATE = "spool.job-state";
    public static final String ANALYTICS_JOB_STATS = "spool.analytics.job-stats";

    /** Default number of retry topics (one per attempt). */
    public static final int DEFAULT_RETRIES = 3;

    private static final int PARTITIONS = 6;
    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration DAY = Duration.ofDays(1);

    private Topics() {
    }

    /** The retry topic that holds records waiting for attempt {@code attempt} (1-based). */
    public static String retry(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("retry attempts start at 1, got " + attempt);
        }
        return RETRY_PREFIX + attempt;
    }

    /** The job (tier) topics, highest tier first. */
    public static List<TopicSpec> jobTopics() {
        return List.of(
                TopicSpec.deleting(JOBS_HIGH, PARTITIONS, WEEK),
                TopicSpec.deleting(JOBS_NORMAL, PARTITIONS, WEEK),
                TopicSpec.deleting(JOBS_LOW, PARTITIONS, WEEK));
    }

    /** Topics the processor owns: retries, dead letters and live progress. */
    public static List<TopicSpec> processorTopics(int retries) {
        List<TopicSpec> specs = new ArrayList<>();
        for (int attempt = 1; attempt <= retries; attempt++) {
            specs.add(TopicSpec.deleting(retry(attempt), PARTITIONS, WEEK));
        }
        specs.add(deadLetters());
        specs.add(jobProgress());
        specs.add(analyticsJobStats());
        return List.copyOf(specs);
    }

    /** Work records that failed for good, with error headers ({@code WorkRecordHeaders}); kept 30 days. */
    public static TopicSpec deadLetters() {
        return TopicSpec.deleting(DLQ, PARTITIONS, Duration.ofDays(30));
    }

    /** Per-window job statistics ({@code JobStats}) for downstream analytics; one partition, kept 30 days. */
    public static TopicSpec analyticsJobStats() {
        return TopicSpec.deleting(ANALYTICS_JOB_STATS, 1, Duration.ofDays(30));
    }

    /** The committed facts; kept forever so that views can be rebuilt from them. */
    public static TopicSpec jobEvents() {
        return TopicSpec.deleting(JOB_EVENTS, PARTITIONS, null);
    }

    /** Live signals (started, progress), written outside transactions. */
    public static TopicSpec jobProgress() {
        return TopicSpec.deleting(JOB_PROGRESS, PARTITIONS, DAY);
    }

    /** Latest view per job, compacted. */
    public static TopicSpec jobState() {
        return TopicSpec.compacted(JOB_STATE, PARTITIONS);
    }
}
