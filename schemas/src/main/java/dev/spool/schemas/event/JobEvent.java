package dev.spool.schemas.event;

import java.time.Instant;

/**
 * Something that happened to a job. Facts (accepted, retry scheduled, completed, failed, dead-lettered,
 * replayed, deleted) travel on {@code spool.job-events}; live signals (started, progress) on {@code spool.job-progress}.
 * The record key is always the job id.
 */
public sealed interface JobEvent
        permits JobAccepted, JobStarted, JobProgress, JobRetryScheduled, JobCompleted, JobFailed, JobDeadLettered,
        JobReplayed, JobDeleted {

    /** The job this event belongs to; also the Kafka key and the CloudEvents subject. */
    String jobId();

    /** The processing attempt the event belongs to, starting at 1. */
    int attempt();

    /** When it happened. */
    Instant occurredAt();

    /** The event type, which fixes the CloudEvents type and the JSON Schema. */
    EventType type();
}
