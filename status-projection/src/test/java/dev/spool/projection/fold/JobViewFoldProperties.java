package dev.spool.projection.fold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.schemas.event.EventType;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobDeleted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the fold over whole job lifecycles, with the fact and signal streams interleaved at random and
 * records redelivered at random.
 */
class JobViewFoldProperties {

    private final JobViewFold fold = new JobViewFold();

    @Property(tries = 400)
    void theOutcomeIsThatOfTheFactsAlone(@ForAll("lifecycles") Lifecycle lifecycle, @ForAll Random random) {
        JobView factsOnly = foldAll(lifecycle.facts());
        JobView delivered = foldAll(lifecycle.delivered(random));

        assertThat(outcome(delivered)).isEqualTo(outcome(factsOnly));
    }

    @Property(tries = 400)
    void applyingAnEventTwiceInARowEqualsApplyingItOnce(@ForAll("lifecycles") Lifecycle lifecycle, @ForAll Random random) {
        List<JobEvent> all = new ArrayList<>(lifecycle.facts());
        all.addAll(lifecycle.signals());
        JobView view = null;
        for (JobEvent event : lifecycle.delivered(random)) {
            JobView probe = view;
            for (JobEvent any : all) {
                JobView once = fold.apply(probe, any);
                assertThat(fold.apply(once, any)).as("%s twice after %s", any, probe).isSameAs(once);
            }
            view = fold.apply(view, event);
        }
    }

    @Property(tries = 400)
    void terminalViewsAbsorbSignals(@ForAll("lifecycles") Lifecycle lifecycle, @ForAll Random random) {
        JobView view = null;
        for (JobEvent event : lifecycle.delivered(random)) {
            view = fold.apply(view, event);
            if (view.status().isTerminal()) {
                for (JobEvent signal : lifecycle.signals()) {
                    assertThat(fold.apply(view, signal)).as("%s after %s", signal, view).isSameAs(view);
                }
            }
        }
    }

    @Property(tries = 400)
    void everyChangeBumpsTheVersionByOneAndOnlyReplaysLeaveTerminalStates(
            @ForAll("lifecycles") Lifecycle lifecycle, @ForAll Random random) {
        JobView view = null;
        for (JobEvent event : lifecycle.delivered(random)) {
            JobView next = fold.apply(view, event);
            if (view == null) {
                assertThat(next.version()).isEqualTo(1);
            } else if (next != view) {
                assertThat(next).isNotEqualTo(view);
                assertThat(next.version()).isEqualTo(view.version() + 1);
                assertThat(next.updatedAt()).isAfterOrEqualTo(view.updatedAt());
                if (view.status().isTerminal() && !next.status().isTerminal()) {
                    assertThat(event.type()).isEqualTo(EventType.REPLAYED);
                }
            }
            view = next;
        }
    }

    /**
     * Ingest writes {@link JobView#accepted} before its {@code 202}; the live writer then folds every event, the
     * acceptance included, onto that view instead of onto nothing, and must end where it would have.
     */
    @Property(tries = 400)
    void foldingOntoTheQueuedViewIngestWroteEndsWhereFoldingFromNothingDoes(@ForAll("lifecycles") Lifecycle lifecycle,
            @ForAll Random random) {
        JobAccepted acceptance = (JobAccepted) lifecycle.facts().get(0);
        List<JobEvent> delivered = lifecycle.delivered(random);

        assertThat(fold.applyAll(JobView.accepted(acceptance), delivered)).isEqualTo(foldAll(delivered));
    }

    /**
     * Deletion is absorbing: a processor may finish a job after its owner deleted it, and signals and redeliveries
     * come in any order, so whatever is folded after the deleted fact (any of the job's events, in any order, any
     * number of times) leaves the very tombstone, which keeps nothing of the job but its id.
     */
    @Property(tries = 400)
    void deletedIsAbsorbing(@ForAll("lifecycles") Lifecycle lifecycle, @ForAll Random random,
            @ForAll @IntRange(min = 0, max = 60) int deletedAfter) {
        List<JobEvent> delivered = lifecycle.delivered(random);
        int cut = Math.min(deletedAfter, delivered.size());
        JobEvent last = delivered.get(delivered.size() - 1);
        JobDeleted deleted = new JobDeleted(last.jobId(), 1, "user-1",
                delivered.get(Math.max(0, cut - 1)).occurredAt());
        JobView tombstone = fold.apply(foldAll(delivered.subList(0, cut)), deleted);

        List<JobEvent> later = new ArrayList<>(delivered);
        later.addAll(lifecycle.delivered(random));
        later.add(deleted);
        Collections.shuffle(later, random);
        JobView view = tombstone;
        for (JobEvent event : later) {
            view = fold.apply(view, event);
            assertThat(view).as("%s after the deletion", event).isSameAs(tombstone);
        }
        assertThat(fold.applyAll(tombstone, later)).isSameAs(tombstone);
        assertThat(tombstone.status()).isEqualTo(JobStatus.DELETED);
        assertThat(tombstone).isEqualTo(new JobView(last.jobId(), null, null, null, null, null, null,
                JobStatus.DELETED, null, 0, 0, false, null, null, null, null, null, null, tombstone.version(),
                tombstone.updatedAt()));
    }

    /** Lifecycles of {@link Lifecycle#plans()}. */
    @Provide
    Arbitrary<Lifecycle> lifecycles() {
        return Lifecycle.plans().map(Lifecycle::of);
    }

    private JobView foldAll(List<JobEvent> events) {
        JobView view = null;
        for (JobEvent event : events) {
            view = fold.apply(view, event);
        }
        return view;
    }

    /** What a job's outcome is made of; signals may change timing and progress detail only while it runs. */
    private static List<Object> outcome(JobView view) {
        return Arrays.asList(view.status(), view.result(), view.error(), view.attempts(), view.deadLettered(),
                view.progress(), view.completedAt(), view.processingMillis(), view.ownerId(), view.createdAt());
    }
}
