package dev.spool.ingest.retention;

import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.deletion.JobDeletions;
import dev.spool.ingest.jobs.JobViewStore;
import dev.spool.schemas.storage.JobObjects;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Removes what outlived its retention ({@link RetentionProperties}) on every instance, every
 * {@code sweep-interval}: jobs (deleted as by their owner), originals and texts (unless a bucket lifecycle rule
 * expires them), dead-letter index entries; at most a batch of each per sweep. Every removal is idempotent, so
 * instances sweeping at once repeat each other's work at worst and need no lock. Counted in
 * {@code spool.retention.removed} by kind.
 */
@Component
public class RetentionSweeper implements SmartLifecycle {

    /** What a sweep removes, in the order it does. */
    public enum Kind {
        JOBS, ORIGINALS, TEXTS, DEAD_LETTERS;

        String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);

    private final RetentionProperties retention;
    private final StorageProperties storage;
    private final JobViewStore views;
    private final JobDeletions deletions;
    private final ExpiredObjects objects;
    private final ExpiredDeadLetters deadLetters;
    private final BucketLifecycle lifecycle;
    private final Map<Kind, Counter> removed = new EnumMap<>(Kind.class);
    private final Map<Kind, Boolean> byLifecycleRule = new EnumMap<>(Kind.class);
    private final Clock clock;
    private volatile Disposable schedule;

    @Autowired
    public RetentionSweeper(RetentionProperties retention, StorageProperties storage, JobViewStore views,
            JobDeletions deletions, ExpiredObjects objects, ExpiredDeadLetters deadLetters, BucketLifecycle lifecycle,
            MeterRegistry meters) {
        this(retention, storage, views, deletions, objects, deadLetters, lifecycle, meters, Clock.systemUTC());
    }

    /** With {@code clock} as the time a sweep measures ages against. */
    RetentionSweeper(RetentionProperties retention, StorageProperties storage, JobViewStore views,
            JobDeletions deletions, ExpiredObjects objects, ExpiredDeadLetters deadLetters, BucketLifecycle lifecycle,
            MeterRegistry meters, Clock clock) {
        this.retention = retention;
        this.storage = storage;
        this.views = views;
        this.deletions = deletions;
        this.objects = objects;
        this.deadLetters = deadLetters;
        this.lifecycle = lifecycle;
        this.clock = clock;
        for (Kind kind : Kind.values()) {
            removed.put(kind, Counter.builder("spool.retention.removed")
                    .description("What the retention sweeper removed because it outlived its retention")
                    .tag("kind", kind.tag())
                    .register(meters));
        }
    }

    /**
     * Hands the expiry of originals and texts to bucket lifecycle rules where the store takes them; the sweeper
     * then leaves those objects to the store.
     */
    public Mono<Void> applyLifecycleRules() {
        if (!retention.lifecycleRules()) {
            return Mono.empty();
        }
        return rule(Kind.ORIGINALS, storage.uploadBucket(), JobObjects.UPLOAD_PREFIX, retention.originals())
                .then(rule(Kind.TEXTS, storage.textBucket(), JobObjects.TEXT_PREFIX, retention.texts()));
    }

    private Mono<Void> rule(Kind kind, String bucket, String prefix, Duration after) {
        if (after == null) {
            return Mono.empty();
        }
        return lifecycle.expire(bucket, prefix, after).doOnNext(taken -> byLifecycleRule.put(kind, taken)).then();
    }

    /** One sweep of every kind that has a retention; how many of each it removed. */
    public Mono<Map<Kind, Integer>> sweepOnce() {
        Instant now = clock.instant();
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        return Flux.fromArray(Kind.values())
                .concatMap(kind -> sweep(kind, now)
                        .onErrorResume(e -> {
                            LOG.warn("Sweeping expired {} failed; the next sweep tries again", kind.tag(), e);
                            return Mono.just(0);
                        })
                        .doOnNext(count -> {
                            counts.put(kind, count);
                            removed.get(kind).increment(count);
                        }))
                .then(Mono.fromSupplier(() -> counts));
    }

    private Mono<Integer> sweep(Kind kind, Instant now) {
        return switch (kind) {
            case JOBS -> expired(retention.jobs(), now, cutoff -> views.acceptedBefore(cutoff, retention.batch())
                    .concatMap(view -> deletions.expire(view).thenReturn(1))
                    .count().map(Long::intValue));
            case ORIGINALS -> Boolean.TRUE.equals(byLifecycleRule.get(kind)) ? Mono.just(0)
                    : expired(retention.originals(), now, cutoff -> objects.remove(storage.uploadBucket(),
                            JobObjects.UPLOAD_PREFIX, cutoff, retention.batch()));
            case TEXTS -> Boolean.TRUE.equals(byLifecycleRule.get(kind)) ? Mono.just(0)
                    : expired(retention.texts(), now, cutoff -> objects.remove(storage.textBucket(),
                            JobObjects.TEXT_PREFIX, cutoff, retention.batch()));
            case DEAD_LETTERS -> expired(retention.deadLetters(), now,
                    cutoff -> deadLetters.remove(cutoff, retention.batch()));
        };
    }

    private static Mono<Integer> expired(Duration period, Instant now, Function<Instant, Mono<Integer>> remove) {
        return period == null ? Mono.just(0) : remove.apply(now.minus(period));
    }

    @Override
    public void start() {
        if (!retention.enabled()) {
            return;
        }
        schedule = applyLifecycleRules()
                .onErrorResume(e -> {
                    LOG.warn("Could not set bucket lifecycle rules; the sweeper removes expired objects", e);
                    return Mono.empty();
                })
                .thenMany(Flux.interval(Duration.ZERO, retention.sweepInterval()))
                .onBackpressureDrop()
                .concatMap(tick -> sweepOnce(), 1)
                .subscribe(counts -> {
                    if (counts.values().stream().anyMatch(count -> count > 0)) {
                        LOG.atInfo().addKeyValue("removed", counts).log("Retention sweep removed {}", counts);
                    }
                });
    }

    @Override
    public void stop() {
        Disposable running = schedule;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable running = schedule;
        return running != null && !running.isDisposed();
    }
}
