package dev.spool.projection.live;

import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.fold.ViewBatch;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.projection.write.DurableWriteHealth;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.view.FeedKind;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.LiveViewWrite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The live writer: folds a batch of events into their jobs' views in Redis and appends each change to its job's
 * feed and to its owner's, which SSE readers follow. It runs in its own consumer group, independent of the durable writer, so that
 * Redis stays current while MongoDB is down (its views then live longer) and MongoDB stays current while Redis is
 * down.
 *
 * <p>It folds from the view in Redis; when Redis has none (a new job, or one whose view expired) it starts from the
 * view in MongoDB, read with one query for all such jobs of the batch, and from nothing when MongoDB has none or
 * cannot answer. A view folded from nothing but a signal
 * (read before the job's acceptance, which travels on the other topic) has no owner until the acceptance arrives;
 * status reads fall back to MongoDB for such a view.
 *
 * <p>A job's events are folded in memory, in order, and all their changes go through the store's script in one
 * call, an atomic compare-and-set of the view that appends one feed entry per change; different jobs go at the same
 * time, which Lettuce pipelines on its one connection. Before them, the batch's changes are appended to their owners'
 * feeds, one call per owner. It blocks once per batch, like the durable writer: a Redis failure is thrown, so the batch is retried
 * and no feed entry is skipped.
 */
public final class LiveViewWriter {

    /** Lost compare-and-set races in a row before the write counts as failed (and is retried by the listener). */
    private static final int MAX_LOST_RACES = 10;

    /** Jobs written at the same time; enough to keep the connection's pipeline full, few enough to keep it fair. */
    private static final int JOBS_IN_FLIGHT = 32;

    private static final Logger LOG = LoggerFactory.getLogger(LiveViewWriter.class);

    private final JobViewFold fold;
    private final LiveViewStore store;
    private final JobViewRepository durableViews;
    private final DurableWriteHealth durableHealth;
    private final Settings settings;

    /**
     * How long live views last and how long a store may take.
     *
     * @param ttl a view's and feed's time to live after the job's last change
     * @param degradedTtl the same while MongoDB writes are failing
     * @param redisTimeout longest Redis may stay silent: for the batch's views, and between the replies to its writes
     * @param mongoTimeout longest wait for MongoDB to answer for a view Redis does not have
     */
    public record Settings(Duration ttl, Duration degradedTtl, Duration redisTimeout, Duration mongoTimeout) {
    }

    public LiveViewWriter(JobViewFold fold, LiveViewStore store, JobViewRepository durableViews,
            DurableWriteHealth durableHealth, Settings settings) {
        this.fold = fold;
        this.store = store;
        this.durableViews = durableViews;
        this.durableHealth = durableHealth;
        this.settings = settings;
    }

    /**
     * Folds {@code events} into their jobs' live views.
     *
     * @param events events with a job id, in the order read; one job's events keep their order
     * @return how many feed entries it appended, one per event that changed a view (the others were duplicates or
     *     stale), or one for a view taken from MongoDB that the events did not change
     * @throws RuntimeException when Redis failed or kept changing under the writer; retry the batch
     */
    public long write(List<JobEvent> events) {
        ViewBatch batch = ViewBatch.of(events);
        Long written = storedViews(batch.jobIds())
                .flatMapMany(stored -> {
                    Map<String, Folded> folded = new LinkedHashMap<>();
                    batch.jobIds().forEach(jobId -> folded.put(jobId, fold(batch.events(jobId), stored.get(jobId))));
                    return appendToOwners(folded.values())
                            .thenMany(Flux.fromIterable(batch.jobIds())
                                    .flatMap(jobId -> writeJob(jobId, batch.events(jobId), folded.get(jobId)),
                                            JOBS_IN_FLIGHT))
                            // One timer for all of the batch's pipelined script calls, reset by each reply: a timer
                            // per call was a tenth of the Redis client thread's CPU.
                            .timeout(settings.redisTimeout());
                })
                .reduce(0L, Long::sum)
                .block();
        return written == null ? 0 : written;
    }

    /** Each job's view in Redis (one {@code MGET}), and in MongoDB (one query) for those Redis has none of. */
    private Mono<Map<String, Stored>> storedViews(Set<String> jobIds) {
        List<String> ids = List.copyOf(jobIds);
        return store.readAll(ids)
                .timeout(settings.redisTimeout())
                .flatMap(inRedis -> {
                    List<String> missing = ids.stream().filter(jobId -> !inRedis.containsKey(jobId)).toList();
                    return durableViews(missing).map(inMongo -> {
                        Map<String, Stored> stored = new HashMap<>();
                        inRedis.forEach((jobId, json) -> stored.put(jobId, new Stored(json, decode(json))));
                        missing.forEach(jobId -> stored.put(jobId, new Stored(null, inMongo.get(jobId))));
                        return stored;
                    });
                });
    }

    /**
     * Appends the batch's changes to their owners' feeds, one script call per owner, all of them before any job's view
     * is written (see {@link dev.spool.schemas.view.ViewStorage}): a failure in between then repeats owner entries on
     * the retry, where the other order would lose them, because the retry finds the views written and appends
     * nothing.
     */
    private Mono<Void> appendToOwners(Collection<Folded> jobs) {
        Map<String, List<LiveViewWrite.FeedEntry>> byOwner = new LinkedHashMap<>();
        for (Folded job : jobs) {
            if (!job.ownerChanges().isEmpty()) {
                byOwner.computeIfAbsent(job.ownerId(), owner -> new ArrayList<>()).addAll(job.ownerChanges());
            }
        }
        return Flux.fromIterable(byOwner.entrySet())
                .flatMap(owner -> store.appendToOwner(owner.getKey(), owner.getValue()), JOBS_IN_FLIGHT)
                .then();
    }

    /**
     * One job's changes, written with one script call; their owner's entries are appended already. A lost race reads
     * the view again, folds again, and appends the new fold's changes to the owner's feed before it writes them.
     */
    private Mono<Long> writeJob(String jobId, List<JobEvent> events, Folded first) {
        AtomicReference<Folded> known = new AtomicReference<>(first);
        return Mono.defer(() -> {
                    Folded folded = known.getAndSet(null);
                    return folded != null
                            ? write(jobId, folded)
                            : stored(jobId).map(view -> fold(events, view)).flatMap(again -> (again.ownerChanges()
                                    .isEmpty() ? Mono.<Void>empty()
                                    : store.appendToOwner(again.ownerId(), again.ownerChanges()))
                                    .then(write(jobId, again)));
                })
                .retryWhen(Retry.max(MAX_LOST_RACES - 1).filter(LostRace.class::isInstance)
                        .onRetryExhaustedThrow((spec, signal) -> new IllegalStateException("the live view of job "
                                + jobId + " changed under " + MAX_LOST_RACES + " attempts to write it")));
    }

    /**
     * Folds the events onto the stored view, one feed entry per change. Events that a view in Redis already holds (a
     * redelivered batch, or the part written before a retry) are left out, so that they append no feed entries again.
     */
    private Folded fold(List<JobEvent> events, Stored stored) {
        JobView view = stored.view();
        // The first entry of a feed is a status (or the end), whatever came before it elsewhere.
        JobView previous = stored.json() == null ? null : view;
        List<LiveViewWrite.FeedEntry> changes = new ArrayList<>();
        List<LiveViewWrite.FeedEntry> ownerChanges = new ArrayList<>();
        // A deleted job's tombstone names no owner; its deletion still goes to the feed of the owner it had.
        String owner = view == null ? null : view.ownerId();
        for (JobEvent event : stored.json() == null ? events : fold.unapplied(view, events)) {
            JobView next = fold.apply(view, event);
            if (next != view) {
                owner = next.ownerId() != null ? next.ownerId() : owner;
                add(entry(previous, next), owner, changes, ownerChanges);
                previous = next;
            }
            view = next;
        }
        // A view taken from MongoDB is stored even when the events add nothing to it: Redis lacked it.
        if (changes.isEmpty() && stored.json() == null && view != null) {
            add(entry(null, view), owner, changes, ownerChanges);
        }
        return new Folded(stored, changes, owner, ownerChanges);
    }

    /** Writes a job's folded changes; emits how many it wrote, or fails with {@link LostRace}. */
    private Mono<Long> write(String jobId, Folded folded) {
        if (folded.changes().isEmpty()) {
            return Mono.just(0L);
        }
        Duration ttl = durableHealth.isFailing() ? settings.degradedTtl() : settings.ttl();
        return store.replace(jobId, folded.from().json(), folded.changes(), ttl)
                .flatMap(written -> written ? Mono.just((long) folded.changes().size()) : Mono.error(new LostRace()));
    }

    /**
     * Adds a change to the job's feed, and to its owner's once a view said whose it is: a view folded from signals
     * that came before the job's acceptance has no owner yet.
     */
    private static void add(LiveViewWrite.FeedEntry change, String owner, List<LiveViewWrite.FeedEntry> changes,
            List<LiveViewWrite.FeedEntry> ownerChanges) {
        changes.add(change);
        if (owner != null) {
            ownerChanges.add(change);
        }
    }

    private static LiveViewWrite.FeedEntry entry(JobView before, JobView after) {
        return new LiveViewWrite.FeedEntry(FeedKind.of(before, after), EventJson.mapper().writeValueAsString(after));
    }

    /** The job's view in Redis, else in MongoDB. */
    private Mono<Stored> stored(String jobId) {
        return store.read(jobId)
                .map(json -> new Stored(json, decode(json)))
                .switchIfEmpty(Mono.defer(() -> durableView(jobId).map(view -> new Stored(null, view.orElse(null)))));
    }

    /** MongoDB's view of a job Redis has none of; none when MongoDB has none or cannot answer in time. */
    private Mono<Optional<JobView>> durableView(String jobId) {
        return durableViews(List.of(jobId)).map(views -> Optional.ofNullable(views.get(jobId)));
    }

    /** MongoDB's views of jobs Redis has none of; empty when MongoDB cannot answer in time, or is failing anyway. */
    private Mono<Map<String, JobView>> durableViews(List<String> jobIds) {
        if (jobIds.isEmpty() || durableHealth.isFailing()) {
            return Mono.just(Map.of());
        }
        return durableViews.findAll(jobIds)
                .timeout(settings.mongoTimeout())
                .onErrorResume(e -> {
                    LOG.debug("MongoDB did not answer for the views of {} jobs: {}", jobIds.size(), e.toString());
                    return Mono.just(Map.of());
                });
    }

    private static JobView decode(String json) {
        return EventJson.mapper().readValue(json, JobView.class);
    }

    /**
     * A job's view as stored.
     *
     * @param json the view's JSON in Redis; {@code null} when Redis has none
     * @param view the view to fold from: Redis's, else MongoDB's, else {@code null}
     */
    private record Stored(String json, JobView view) {
    }

    /**
     * A job's events folded onto its stored view.
     *
     * @param from the view folded from
     * @param changes the job feed's new entries, in order; the last one's view is the job's new view
     * @param ownerId whose job it is; {@code null} while no event has said so
     * @param ownerChanges those of the changes that go to the owner's feed too
     */
    private record Folded(Stored from, List<LiveViewWrite.FeedEntry> changes, String ownerId,
            List<LiveViewWrite.FeedEntry> ownerChanges) {
    }

    /** Another writer changed the live view after this one read it. */
    private static final class LostRace extends RuntimeException {

        private static final long serialVersionUID = 1L;

        LostRace() {
            super(null, null, false, false);
        }
    }
}
