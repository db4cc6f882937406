package dev.spool.projection.fold;

import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.JobError;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.event.Stage;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.time.Instant;

/**
 * A mutable copy of a {@link JobView} that one fold step edits; it keeps the fold's rules readable without a
 * twenty-argument constructor call per rule. Never escapes {@link JobViewFold}.
 */
final class ViewDraft {

    final String jobId;
    String ownerId;
    String filename;
    Long size;
    String sha256;
    String contentType;
    Priority priority;
    JobStatus status;
    Stage stage;
    int progress;
    int attempts;
    boolean deadLettered;
    Instant createdAt;
    Instant startedAt;
    Instant completedAt;
    Long processingMillis;
    ExtractionResult result;
    JobError error;

    private ViewDraft(String jobId) {
        this.jobId = jobId;
    }

    /** A draft with nothing known but the job id: the start of a partial view. */
    static ViewDraft empty(String jobId) {
        return new ViewDraft(jobId);
    }

    /** A deleted job: its id and nothing else of what it was. */
    static ViewDraft tombstone(String jobId) {
        ViewDraft draft = new ViewDraft(jobId);
        draft.status = JobStatus.DELETED;
        return draft;
    }

    static ViewDraft of(JobView view) {
        ViewDraft draft = new ViewDraft(view.jobId());
        draft.ownerId = view.ownerId();
        draft.filename = view.filename();
        draft.size = view.size();
        draft.sha256 = view.sha256();
        draft.contentType = view.contentType();
        draft.priority = view.priority();
        draft.status = view.status();
        draft.stage = view.stage();
        draft.progress = view.progress();
        draft.attempts = view.attempts();
        draft.deadLettered = view.deadLettered();
        draft.createdAt = view.createdAt();
        draft.startedAt = view.startedAt();
        draft.completedAt = view.completedAt();
        draft.processingMillis = view.processingMillis();
        draft.result = view.result();
        draft.error = view.error();
        return draft;
    }

    boolean isTerminal() {
        return status != null && status.isTerminal();
    }

    /**
     * The edited view. When nothing but bookkeeping would differ from {@code current}, {@code current} itself is
     * returned, so that redelivered and stale events leave {@code version} and {@code updatedAt} alone.
     */
    JobView toView(JobView current, Instant eventTime) {
        if (current != null && current.equals(build(current.version(), current.updatedAt()))) {
            return current;
        }
        long version = current == null ? 1 : current.version() + 1;
        Instant updatedAt = current == null || current.updatedAt() == null || eventTime.isAfter(current.updatedAt())
                ? eventTime
                : current.updatedAt();
        return build(version, updatedAt);
    }

    private JobView build(long version, Instant updatedAt) {
        return new JobView(jobId, ownerId, filename, size, sha256, contentType, priority, status, stage, progress,
                attempts, deadLettered, createdAt, startedAt, completedAt, processingMillis, result, error, version,
                updatedAt);
    }
}
