package dev.spool.projection.fold;

import static dev.spool.projection.fold.SampleEvents.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.event.Stage;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import org.junit.jupiter.api.Test;

class JobViewFoldTest {

    private final JobViewFold fold = new JobViewFold();
    private final SampleEvents job = new SampleEvents("job-1");

    private JobView foldAll(JobEvent... events) {
        return foldAll(null, events);
    }

    private JobView foldAll(JobView start, JobEvent... events) {
        JobView view = start;
        for (JobEvent event : events) {
            view = fold.apply(view, event);
        }
        return view;
    }

    @Test
    void acceptedCreatesAQueuedView() {
        JobView view = fold.apply(null, job.accepted(0));

        assertThat(view).isEqualTo(new JobView("job-1", "user-1", "report.pdf", 2048L, "ab".repeat(32), "application/pdf",
                Priority.NORMAL, JobStatus.QUEUED, null, 0, 0, false, at(0), null, null, null, null, null, 1, at(0)));
    }

    @Test
    void happyPathEndsCompletedWithTheResult() {
        JobView view = foldAll(job.accepted(0), job.started(1, 1), job.progress(1, Stage.EXTRACTING, 60, 2),
                job.completed(1, 1, 4));

        assertThat(view.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(view.progress()).isEqualTo(100);
        assertThat(view.stage()).isNull();
        assertThat(view.attempts()).isEqualTo(1);
        assertThat(view.startedAt()).isEqualTo(at(1));
        assertThat(view.completedAt()).isEqualTo(at(4));
        assertThat(view.processingMillis()).isEqualTo(3000L);
        assertThat(view.result()).isEqualTo(job.result());
        assertThat(view.contentType()).isEqualTo("application/pdf; version=1.7");
        assertThat(view.version()).isEqualTo(4);
        assertThat(view.updatedAt()).isEqualTo(at(4));
    }

    @Test
    void anEventThatChangesNothingReturnsTheSameView() {
        JobView completed = foldAll(job.accepted(0), job.started(1, 1), job.completed(1, 1, 4));

        assertThat(fold.apply(completed, job.completed(1, 1, 4))).isSameAs(completed);
        assertThat(fold.apply(completed, job.accepted(0))).isSameAs(completed);
        JobView started = foldAll(job.accepted(0), job.started(1, 1));
        assertThat(fold.apply(started, job.started(1, 1))).isSameAs(started);
    }

    @Test
    void progressNeverGoesBackWithinAnAttempt() {
        JobView at60 = foldAll(job.accepted(0), job.started(1, 1), job.progress(1, Stage.EXTRACTING, 60, 3));

        assertThat(fold.apply(at60, job.progress(1, Stage.DOWNLOADING, 10, 4))).isSameAs(at60);
        JobView storing = fold.apply(at60, job.progress(1, Stage.STORING, 60, 5));
        assertThat(storing.stage()).isEqualTo(Stage.STORING);
        assertThat(storing.version()).isEqualTo(at60.version() + 1);
        assertThat(fold.apply(storing, job.progress(1, Stage.EXTRACTING, 60, 6))).isSameAs(storing);
    }

    @Test
    void retryScheduledShowsTheErrorUntilTheNextAttemptStarts() {
        JobView retrying = foldAll(job.accepted(0), job.started(1, 1), job.progress(1, Stage.EXTRACTING, 50, 2),
                job.retry(1, 3));

        assertThat(retrying.status()).isEqualTo(JobStatus.RETRYING);
        assertThat(retrying.error()).isEqualTo(SampleEvents.TIMEOUT);
        assertThat(retrying.progress()).isZero();
        assertThat(fold.apply(retrying, job.progress(1, Stage.STORING, 90, 4)))
                .as("a late signal of the attempt that already failed").isSameAs(retrying);
        assertThat(fold.apply(retrying, job.started(1, 1))).isSameAs(retrying);

        JobView second = fold.apply(retrying, job.started(2, 6));
        assertThat(second.status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.error()).isNull();
        assertThat(second.startedAt()).isEqualTo(at(6));
        assertThat(fold.apply(second, job.progress(1, Stage.STORING, 95, 7))).as("older attempt").isSameAs(second);
    }

    @Test
    void aRetryFactOvertakenByTheNextAttemptsSignalsChangesNothing() {
        JobView second = foldAll(job.accepted(0), job.started(1, 1), job.started(2, 6), job.progress(2, Stage.DETECTING, 20, 7));

        assertThat(fold.apply(second, job.retry(1, 3))).isSameAs(second);
    }

    @Test
    void signalsAfterATerminalFactChangeNothing() {
        JobView failed = foldAll(job.accepted(0), job.started(1, 1), job.failed(1, 2));

        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isEqualTo(SampleEvents.ENCRYPTED);
        assertThat(fold.apply(failed, job.progress(1, Stage.STORING, 99, 3))).isSameAs(failed);
        assertThat(fold.apply(failed, job.started(2, 3))).isSameAs(failed);
        assertThat(fold.apply(failed, job.retry(1, 3))).as("retry cannot leave a terminal state").isSameAs(failed);
    }

    @Test
    void eventsBeforeAcceptedMakeAPartialViewThatAcceptedFillsIn() {
        JobView partial = foldAll(job.progress(1, Stage.DOWNLOADING, 5, 2), job.started(1, 1), job.completed(1, 1, 4));

        assertThat(partial.ownerId()).isNull();
        assertThat(partial.startedAt()).isEqualTo(at(1));
        assertThat(partial.status()).isEqualTo(JobStatus.COMPLETED);

        JobView full = fold.apply(partial, job.accepted(0));
        assertThat(full.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(full.ownerId()).isEqualTo("user-1");
        assertThat(full.createdAt()).isEqualTo(at(0));
        assertThat(full.contentType()).as("the detected type from extraction stays").isEqualTo("application/pdf; version=1.7");
        assertThat(full.updatedAt()).as("updatedAt never goes back").isEqualTo(at(4));
    }

    @Test
    void acceptedAfterAStartedSignalKeepsProcessing() {
        JobView view = foldAll(job.started(1, 1), job.accepted(0));

        assertThat(view.status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(view.filename()).isEqualTo("report.pdf");
    }

    @Test
    void deadLetteredFailsTheJobUntilItIsReplayed() {
        JobView dead = foldAll(job.accepted(0), job.started(1, 1), job.retry(1, 2), job.started(2, 4), job.deadLettered(2, 5));

        assertThat(dead.status()).isEqualTo(JobStatus.FAILED);
        assertThat(dead.deadLettered()).isTrue();
        assertThat(dead.attempts()).isEqualTo(2);
        assertThat(dead.completedAt()).isEqualTo(at(5));

        JobView replayed = fold.apply(dead, job.replayed(1, 60));
        assertThat(replayed.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(replayed.deadLettered()).isFalse();
        assertThat(replayed.error()).isNull();
        assertThat(replayed.attempts()).isZero();
        assertThat(replayed.completedAt()).isNull();
        assertThat(replayed.createdAt()).isEqualTo(at(0));
        assertThat(fold.apply(replayed, job.accepted(61))).as("the replay's re-acceptance").isSameAs(replayed);

        JobView rerun = foldAll(replayed, job.started(1, 62), job.completed(1, 62, 63));
        assertThat(rerun.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(rerun.attempts()).isEqualTo(1);
        assertThat(rerun.version()).isEqualTo(replayed.version() + 2);
    }

    @Test
    void anAcceptedForALaterAttemptRequeuesARetryingJob() {
        JobView retrying = foldAll(job.accepted(0), job.started(1, 1), job.retry(1, 2));

        JobView requeued = fold.apply(retrying, job.accepted(0).forAttempt(2, at(4)));

        assertThat(requeued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(requeued.error()).isNull();
        assertThat(requeued.createdAt()).isEqualTo(at(0));
        assertThat(fold.apply(requeued, job.started(1, 1))).isSameAs(requeued);
    }

    @Test
    void refusesAnotherJobsEvent() {
        JobView view = fold.apply(null, job.accepted(0));

        assertThatThrownBy(() -> fold.apply(view, new SampleEvents("job-2").started(1, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job-2");
    }
}
