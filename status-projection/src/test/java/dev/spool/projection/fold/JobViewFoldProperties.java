package dev.spool.projection.fold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.projection.fold.Lifecycle.Attempt;
import dev.spool.projection.fold.Lifecycle.Epoch;
import dev.spool.projection.fold.Lifecycle.Outcome;
import dev.spool.schemas.event.EventType;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.view.JobView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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
     * Lifecycles whose signals all belong to attempts that the facts close. Without an epoch in the view, a late
     * signal from before a replay looks current, so lifecycles with replays end in a terminal fact here.
     */
    @Provide
    Arbitrary<Lifecycle> lifecycles() {
        Arbitrary<Attempt> attempt = Arbitraries.integers().between(0, 100).list().ofMaxSize(3)
                .map(percents -> new Attempt(percents.stream().sorted().toList()));
        Arbitrary<Epoch> single = Combinators.combine(attempt.list().ofMaxSize(4), Arbitraries.of(Outcome.class))
                .as((attempts, outcome) -> new Epoch(attempts, outcome, false));
        Arbitrary<Epoch> deadLettered = attempt.list().ofMinSize(1).ofMaxSize(3)
                .map(attempts -> new Epoch(attempts, Outcome.DEAD_LETTERED, false));
        Arbitrary<Epoch> replayedToTheEnd = Combinators.combine(attempt.list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.of(Outcome.COMPLETED, Outcome.FAILED, Outcome.DEAD_LETTERED), Arbitraries.of(true, false))
                .as(Epoch::new);
        Arbitrary<List<Epoch>> replayed = Combinators.combine(deadLettered.list().ofMinSize(1).ofMaxSize(2), replayedToTheEnd)
                .as((first, last) -> {
                    List<Epoch> epochs = new ArrayList<>(first);
                    epochs.add(last);
                    return epochs;
                });
        return Arbitraries.oneOf(single.map(List::of), replayed).map(Lifecycle::of);
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
