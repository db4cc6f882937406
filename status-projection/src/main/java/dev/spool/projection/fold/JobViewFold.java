package dev.spool.projection.fold;

import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobDeadLettered;
import dev.spool.schemas.event.JobError;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobFailed;
import dev.spool.schemas.event.JobProgress;
import dev.spool.schemas.event.JobReplayed;
import dev.spool.schemas.event.JobRetryScheduled;
import dev.spool.schemas.event.JobStarted;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.util.List;
import java.util.Objects;

/**
 * Folds one job event into the job's view. A pure function: the result depends on the view and the event only
 * ({@code updatedAt} is the latest event time, not the wall clock), so redelivery and rebuilds give the same views.
 *
 * <p>Facts (on {@code spool.job-events}) arrive in order and always apply; signals (started, progress on
 * {@code spool.job-progress}) arrive in any order relative to them, so a signal applies only while it is newer than
 * what the view already knows: never after a terminal fact, never for an attempt older than the view's, and never
 * for the attempt whose retry fact is already in. An event that changes nothing returns the very same view.
 *
 * <p>Deletion is absorbing: the deleted fact turns the view into a tombstone that keeps nothing of the job but its
 * id ({@link JobStatus#DELETED}), and every event after it, whatever it is and however late, leaves the tombstone as
 * it is. A processor may finish a job after its owner deleted it; its facts must not bring the job back.
 *
 * <p>Signals carry an attempt but no replay count, so a signal from before a replay that is read after it passes
 * for a current one until the next fact of the replayed run corrects the view.
 */
public final class JobViewFold {

    /**
     * The view after {@code event}.
     *
     * @param current the job's view so far; {@code null} before its first event
     * @param event an event of the same job
     * @return the next view, or {@code current} itself when the event changes nothing
     */
    public JobView apply(JobView current, JobEvent event) {
        Objects.requireNonNull(event, "event");
        if (current != null && !current.jobId().equals(event.jobId())) {
            throw new IllegalArgumentException("event of job " + event.jobId() + " folded into view of " + current.jobId());
        }
        if (current != null && current.status() == JobStatus.DELETED) {
            return current;
        }
        if (current == null && event instanceof JobAccepted accepted) {
            // defined once, in the contract: ingest writes this very view before it answers the upload
            return JobView.accepted(accepted);
        }
        ViewDraft draft = current == null ? ViewDraft.empty(event.jobId()) : ViewDraft.of(current);
        ViewDraft next = switch (event.type()) {
            case ACCEPTED -> accepted(draft, (JobAccepted) event);
            case STARTED -> started(draft, (JobStarted) event);
            case PROGRESS -> progress(draft, (JobProgress) event);
            case RETRY_SCHEDULED -> retryScheduled(draft, (JobRetryScheduled) event);
            case COMPLETED -> completed(draft, (JobCompleted) event);
            case FAILED -> failed(draft, event, ((JobFailed) event).error(), false);
            case DEAD_LETTERED -> failed(draft, event, ((JobDeadLettered) event).error(), true);
            case REPLAYED -> replayed(draft, (JobReplayed) event);
            case DELETED -> ViewDraft.tombstone(event.jobId());
        };
        return next.toView(current, event.occurredAt());
    }

    /**
     * The view after {@code events}, applied one by one in order, less their {@linkplain #unapplied leading run that
     * leaves the view as it was}.
     *
     * @param current the job's view so far; {@code null} before its first event
     * @param events events of the same job, in the order read
     * @return the last view, or {@code current} itself when the events change nothing
     */
    public JobView applyAll(JobView current, List<JobEvent> events) {
        JobView view = current;
        for (JobEvent event : unapplied(current, events)) {
            view = apply(view, event);
        }
        return view;
    }

    /**
     * {@code events} after the last of them at which folding them onto {@code current} gives back {@code current} in
     * all but version and update time, through changes none newer than {@code current}'s last. Such a run is what a
     * redelivered batch looks like, or the part of a batch that was written before the rest failed. One event applied
     * twice changes nothing, but a run of them can: facts always apply, so a run that holds a dead letter and the
     * replay that followed it would take the view through the dead letter and the replay again, and out at the same
     * view with a new version (and, in Redis, repeated feed entries). A run with a newer change is new, even when it
     * ends where it started (queued, dead-lettered and replayed in one batch), and is kept. Folding the rest onto
     * {@code current} gives what folding them all would, but for version and update time.
     */
    public List<JobEvent> unapplied(JobView current, List<JobEvent> events) {
        if (current == null || current.updatedAt() == null) {
            return events;
        }
        int applied = 0;
        JobView view = current;
        for (int i = 0; i < events.size(); i++) {
            JobEvent event = events.get(i);
            JobView next = apply(view, event);
            if (next != view && event.occurredAt().isAfter(current.updatedAt())) {
                break;
            }
            view = next;
            if (view == current || ViewDraft.of(view).toView(current, current.updatedAt()) == current) {
                applied = i + 1;
            }
        }
        return events.subList(applied, events.size());
    }

    /** Fills what the job is; queues it unless a signal or a terminal fact already moved it further. */
    private static ViewDraft accepted(ViewDraft draft, JobAccepted event) {
        draft.ownerId = firstNonNull(draft.ownerId, event.ownerId());
        draft.filename = firstNonNull(draft.filename, event.filename());
        draft.size = firstNonNull(draft.size, event.size());
        draft.sha256 = firstNonNull(draft.sha256, event.sha256());
        draft.contentType = firstNonNull(draft.contentType, event.contentType());
        draft.priority = firstNonNull(draft.priority, event.priority());
        draft.createdAt = firstNonNull(draft.createdAt, event.occurredAt());
        boolean requeue = !draft.isTerminal() && event.attempt() > draft.attempts;
        if (draft.status == null || requeue) {
            queue(draft);
        }
        return draft;
    }

    private static ViewDraft started(ViewDraft draft, JobStarted event) {
        if (draft.isTerminal()) {
            return draft;
        }
        if (event.attempt() > draft.attempts) {
            process(draft, event.attempt());
            draft.startedAt = event.occurredAt();
        } else if (event.attempt() == draft.attempts && draft.status == JobStatus.PROCESSING && draft.startedAt == null) {
            // the attempt's progress overtook its start signal
            draft.startedAt = event.occurredAt();
        }
        return draft;
    }

    private static ViewDraft progress(ViewDraft draft, JobProgress event) {
        if (draft.isTerminal()) {
            return draft;
        }
        if (event.attempt() > draft.attempts) {
            process(draft, event.attempt());
            draft.startedAt = null;
            draft.stage = event.stage();
            draft.progress = event.percent();
        } else if (event.attempt() == draft.attempts && draft.status == JobStatus.PROCESSING && isAhead(draft, event)) {
            draft.stage = event.stage();
            draft.progress = event.percent();
        }
        return draft;
    }

    /** A retry fact of an attempt older than the one already started was overtaken by that attempt's signals. */
    private static ViewDraft retryScheduled(ViewDraft draft, JobRetryScheduled event) {
        if (draft.isTerminal() || event.attempt() < draft.attempts) {
            return draft;
        }
        draft.status = JobStatus.RETRYING;
        draft.attempts = event.attempt();
        draft.error = event.error();
        draft.stage = null;
        draft.progress = 0;
        return draft;
    }

    private static ViewDraft completed(ViewDraft draft, JobCompleted event) {
        draft.status = JobStatus.COMPLETED;
        draft.attempts = event.attempt();
        draft.deadLettered = false;
        draft.stage = null;
        draft.progress = 100;
        draft.error = null;
        draft.startedAt = firstNonNull(event.startedAt(), draft.startedAt);
        draft.completedAt = event.occurredAt();
        draft.processingMillis = event.processingMillis();
        draft.result = event.result();
        if (event.result() != null) {
            draft.contentType = firstNonNull(event.result().contentType(), draft.contentType);
        }
        return draft;
    }

    /** Failed and dead-lettered end the job alike; only a dead letter can be replayed. */
    private static ViewDraft failed(ViewDraft draft, JobEvent event, JobError error, boolean deadLettered) {
        draft.status = JobStatus.FAILED;
        draft.attempts = event.attempt();
        draft.deadLettered = deadLettered;
        draft.stage = null;
        draft.progress = 0;
        draft.error = error;
        draft.completedAt = event.occurredAt();
        draft.processingMillis = null;
        draft.result = null;
        return draft;
    }

    /** The only way out of a terminal state: the job starts over at {@code attempt}, keeping what it is. */
    private static ViewDraft replayed(ViewDraft draft, JobReplayed event) {
        queue(draft);
        draft.attempts = Math.max(0, event.attempt() - 1);
        draft.deadLettered = false;
        draft.startedAt = null;
        draft.completedAt = null;
        draft.processingMillis = null;
        draft.result = null;
        return draft;
    }

    private static void queue(ViewDraft draft) {
        draft.status = JobStatus.QUEUED;
        draft.stage = null;
        draft.progress = 0;
        draft.error = null;
    }

    private static void process(ViewDraft draft, int attempt) {
        draft.status = JobStatus.PROCESSING;
        draft.attempts = attempt;
        draft.error = null;
        draft.stage = null;
        draft.progress = 0;
    }

    /** Progress never goes back within an attempt: by percent first, then by stage order. */
    private static boolean isAhead(ViewDraft draft, JobProgress event) {
        if (event.percent() != draft.progress) {
            return event.percent() > draft.progress;
        }
        return event.stage() != null && (draft.stage == null || event.stage().compareTo(draft.stage) > 0);
    }

    private static <T> T firstNonNull(T first, T second) {
        return first != null ? first : second;
    }
}
