package dev.spool.processor.extraction;

import dev.spool.schemas.event.JobEvent;

/** Receives live signals (started, progress) of running jobs; best effort, never part of a transaction. */
public interface ProgressSink {

    void publish(JobEvent signal);
}
