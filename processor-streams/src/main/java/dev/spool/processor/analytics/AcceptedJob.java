package dev.spool.processor.analytics;

import dev.spool.schemas.event.JobAccepted;

/** What the statistics need of a job's acceptance, kept per job in the analytics application's table. */
record AcceptedJob(String contentType, String tier, long bytes) {

    static AcceptedJob of(JobAccepted accepted) {
        return new AcceptedJob(accepted.contentType(), accepted.priority().wireName(), accepted.size());
    }
}
