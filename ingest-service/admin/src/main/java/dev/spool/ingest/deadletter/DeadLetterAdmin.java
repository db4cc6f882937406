package dev.spool.ingest.deadletter;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.publish.JobPublisher;
import dev.spool.ingest.resilience.Dependency;
import dev.spool.ingest.resilience.DependencyGuard;
import dev.spool.schemas.deadletter.DeadLetter;
import dev.spool.schemas.deadletter.DeadLetterStorage.Status;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobReplayed;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Replay and purge of dead letters. A replay sends the job's work record back to its tier with attempts reset and
 * writes a {@code replayed} fact, in one Kafka transaction; the entry moves from {@code dead} to {@code replayed}
 * first, atomically, so a job is only ever sent back once per dead-lettering and two replays can never make two
 * completions. A job replayed {@code spool.admin.dlq.max-replays} times needs {@code force}. A dry run answers what
 * would happen and changes nothing.
 */
@Service
public class DeadLetterAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterAdmin.class);

    private final DeadLetterQueries index;
    private final JobPublisher publisher;
    private final DependencyGuard guard;
    private final DeadLetterProperties properties;
    private final Clock clock = Clock.systemUTC();

    public DeadLetterAdmin(DeadLetterQueries index, JobPublisher publisher, DependencyGuard guard,
            DeadLetterProperties properties) {
        this.index = index;
        this.publisher = publisher;
        this.guard = guard;
        this.properties = properties;
    }

    /**
     * What an operator selected: entries by id, or by filter (dead ones only, at most {@code max-batch}).
     *
     * @param ids entry ids, or {@code null}
     * @param filter a filter, or {@code null}
     */
    public record Selection(List<String> ids, DeadLetterFilter filter) {

        public Selection {
            if ((ids == null || ids.isEmpty()) == (filter == null)) {
                throw new SpoolProblem(ProblemCode.MALFORMED_REQUEST,
                        "Select dead letters either by 'ids' or by 'filter', not both and not neither.");
            }
        }
    }

    /** One entry's outcome: {@code action} is {@code replayed}, {@code purged} or {@code skipped}. */
    public record Outcome(String id, String jobId, String action, String reason, int replayCount) {
    }

    /** Replays the selection (or, with {@code dryRun}, says what a replay would do). */
    public Mono<List<Outcome>> replay(Selection selection, boolean dryRun, boolean force, String operator) {
        return select(selection).concatMap(entry -> replayOne(entry, dryRun, force, operator)).collectList();
    }

    /** Purges the selection (or, with {@code dryRun}, says what a purge would do). */
    public Mono<List<Outcome>> purge(Selection selection, boolean dryRun, String operator) {
        return select(selection).concatMap(entry -> {
            String id = entry.id();
            int count = entry.replayCount();
            if (entry.status() != Status.DEAD) {
                return Mono.just(skipped(entry, "not_dead_lettered"));
            }
            if (dryRun) {
                return Mono.just(new Outcome(id, entry.jobId(), "purged", null, count));
            }
            return index.purge(id).map(purged -> {
                if (!purged) {
                    return skipped(entry, "not_dead_lettered");
                }
                log(entry, "Dead letter {} purged by {}", id, operator);
                return new Outcome(id, entry.jobId(), "purged", null, count);
            });
        }).collectList();
    }

    private Flux<DeadLetter> select(Selection selection) {
        if (selection.ids() != null && !selection.ids().isEmpty()) {
            List<String> ids = selection.ids().stream().distinct().limit(properties.maxBatch()).toList();
            return index.byIds(ids).collectMap(DeadLetter::id)
                    .flatMapMany(found -> Flux.fromIterable(ids).map(id -> found.getOrDefault(id,
                            DeadLetter.missing(id))));
        }
        return index.matching(selection.filter().withStatus(Status.DEAD), properties.maxBatch());
    }

    private Mono<Outcome> replayOne(DeadLetter entry, boolean dryRun, boolean force, String operator) {
        String id = entry.id();
        if (!entry.exists()) {
            return Mono.just(new Outcome(id, null, "skipped", "not_found", 0));
        }
        if (entry.status() != Status.DEAD) {
            return Mono.just(skipped(entry, "not_dead_lettered"));
        }
        if (!entry.replayable()) {
            return Mono.just(skipped(entry, "undecodable"));
        }
        if (!force && entry.replayCount() >= properties.maxReplays()) {
            return Mono.just(skipped(entry, "replay_limit"));
        }
        if (dryRun) {
            return Mono.just(new Outcome(id, entry.jobId(), "replayed", null, entry.replayCount() + 1));
        }
        Instant now = clock.instant();
        return index.claimReplay(id, force ? null : properties.maxReplays(), operator, now)
                .flatMap(claimed -> publish(claimed, operator, now)
                        .thenReturn(new Outcome(id, claimed.jobId(), "replayed", null, claimed.replayCount()))
                        .onErrorResume(e -> index.releaseReplay(id).then(Mono.error(e))))
                .switchIfEmpty(Mono.fromSupplier(() -> skipped(entry, "not_dead_lettered")));
    }

    private Mono<Void> publish(DeadLetter entry, String operator, Instant now) {
        JobAccepted original = EventJson.mapper().readValue(entry.record(), JobAccepted.class);
        JobAccepted work = new JobAccepted(original.jobId(), original.ownerId(), original.filename(), original.size(),
                original.sha256(), original.contentType(), original.declaredContentType(), original.priority(),
                original.bucket(), original.objectKey(), 1, now);
        JobReplayed fact = new JobReplayed(original.jobId(), 1, entry.replayCount(), operator, now);
        return guard.call(Dependency.KAFKA, ProblemCode.PUBLISH_FAILED, publisher.replay(work, fact))
                .onErrorMap(e -> !(e instanceof SpoolProblem), e -> new SpoolProblem(ProblemCode.PUBLISH_FAILED,
                        "The replay could not be queued and nothing was changed; try again after the Retry-After "
                                + "delay.", e))
                .doOnSuccess(done -> log(entry, "Job {} replayed by {} (replay {}), back to {} with attempts reset",
                        original.jobId(), operator, entry.replayCount(), original.priority().wireName()));
    }

    private static Outcome skipped(DeadLetter entry, String reason) {
        return new Outcome(entry.id(), entry.jobId(), "skipped", reason, entry.replayCount());
    }

    private static void log(DeadLetter entry, String message, Object... arguments) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", entry.jobId())) {
            LOG.info(message, arguments);
        }
    }
}
