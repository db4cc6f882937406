package dev.spool.projection.fold;

import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One job's whole history as the two streams carry it: the committed facts and the live signals, each in its
 * own order. Built from a plan of epochs (an epoch ends when the job is dead-lettered and replayed).
 *
 * @param facts what {@code spool.job-events} carries, in order
 * @param signals what {@code spool.job-progress} carries, in order
 */
record Lifecycle(List<JobEvent> facts, List<JobEvent> signals) {

    /** How an epoch's last attempt ends. */
    enum Outcome { RETRYING, COMPLETED, FAILED, DEAD_LETTERED }

    /** One attempt: its progress percentages, in the order the processor reports them. */
    record Attempt(List<Integer> percents) {
    }

    /** One epoch: accepted (or replayed, then maybe accepted again), its attempts and how the last one ends. */
    record Epoch(List<Attempt> attempts, Outcome outcome, boolean reaccepted) {
    }

    static Lifecycle of(List<Epoch> epochs) {
        return of("job-1", epochs);
    }

    static Lifecycle of(String jobId, List<Epoch> epochs) {
        SampleEvents job = new SampleEvents(jobId);
        List<JobEvent> facts = new ArrayList<>();
        List<JobEvent> signals = new ArrayList<>();
        long clock = 0;
        for (int e = 0; e < epochs.size(); e++) {
            Epoch epoch = epochs.get(e);
            if (e == 0) {
                facts.add(job.accepted(clock++));
            } else {
                facts.add(job.replayed(e, clock++));
                if (epoch.reaccepted()) {
                    facts.add(job.accepted(0).forAttempt(1, SampleEvents.at(clock++)));
                }
            }
            for (int a = 1; a <= epoch.attempts().size(); a++) {
                long startedAt = clock++;
                signals.add(job.started(a, startedAt));
                for (int percent : epoch.attempts().get(a - 1).percents()) {
                    signals.add(job.progress(a, stageAt(percent), percent, clock++));
                }
                boolean last = a == epoch.attempts().size();
                facts.add(last ? outcome(job, epoch.outcome(), a, startedAt, clock++) : job.retry(a, clock++));
            }
        }
        return new Lifecycle(List.copyOf(facts), List.copyOf(signals));
    }

    /**
     * Plans whose signals all belong to attempts that the facts close. Without an epoch in the view, a late signal
     * from before a replay looks current, so plans with replays end in a terminal fact here.
     */
    static Arbitrary<List<Epoch>> plans() {
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
        return Arbitraries.oneOf(single.map(List::of), replayed);
    }

    private static JobEvent outcome(SampleEvents job, Outcome outcome, int attempt, long startedAt, long now) {
        return switch (outcome) {
            case RETRYING -> job.retry(attempt, now);
            case COMPLETED -> job.completed(attempt, startedAt, now);
            case FAILED -> job.failed(attempt, now);
            case DEAD_LETTERED -> job.deadLettered(attempt, now);
        };
    }

    private static Stage stageAt(int percent) {
        Stage[] stages = Stage.values();
        return stages[Math.min(stages.length - 1, percent * stages.length / 100)];
    }

    /** Both streams merged at random, each keeping its own order, with records redelivered at random. */
    List<JobEvent> delivered(Random random) {
        return merged(redelivered(facts, random), redelivered(signals, random), random);
    }

    /** Both streams merged at random, each keeping its own order, every record once. */
    List<JobEvent> deliveredOnce(Random random) {
        return merged(facts, signals, random);
    }

    private static List<JobEvent> merged(List<JobEvent> fromFacts, List<JobEvent> fromSignals, Random random) {
        List<JobEvent> merged = new ArrayList<>();
        int f = 0;
        int s = 0;
        while (f < fromFacts.size() || s < fromSignals.size()) {
            boolean takeFact = s == fromSignals.size() || f < fromFacts.size() && random.nextBoolean();
            merged.add(takeFact ? fromFacts.get(f++) : fromSignals.get(s++));
        }
        return merged;
    }

    private static List<JobEvent> redelivered(List<JobEvent> stream, Random random) {
        List<JobEvent> out = new ArrayList<>();
        for (JobEvent event : stream) {
            int copies = 1 + (random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0);
            for (int i = 0; i < copies; i++) {
                out.add(event);
            }
        }
        return out;
    }
}
