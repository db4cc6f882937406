package dev.spool.projection.health;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.spool.projection.config.ProjectionProperties;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.ViewStorage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code spool_jobs{status}}: how many jobs are in each status, counted in MongoDB's views every 30 seconds (one
 * count per status). A count that fails keeps the last value; MongoDB being down shows in its own alert.
 */
@Component
public class JobStatusGauges implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(JobStatusGauges.class);
    private static final Duration EVERY = Duration.ofSeconds(30);

    private final MongoCollection<Document> jobs;
    private final Duration timeout;
    private final Map<JobStatus, AtomicLong> counts = new EnumMap<>(JobStatus.class);
    private volatile Disposable schedule;

    public JobStatusGauges(MongoClient mongo, ProjectionProperties properties, MeterRegistry meters) {
        this.jobs = mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(ViewStorage.JOBS_COLLECTION);
        this.timeout = properties.mongo().timeout();
        for (JobStatus status : JobStatus.values()) {
            AtomicLong count = new AtomicLong();
            counts.put(status, count);
            Gauge.builder("spool.jobs", count, AtomicLong::get)
                    .description("Jobs in each status, as MongoDB's views had them at the last count")
                    .tag("status", status.wireName())
                    .register(meters);
        }
    }

    /** Counts every status once; the schedule calls it, and so may a test. */
    public Mono<Void> refresh() {
        return Flux.fromIterable(counts.keySet())
                .concatMap(status -> Mono.from(jobs.countDocuments(Filters.eq(ViewStorage.FIELD_STATUS,
                                status.wireName())))
                        .timeout(timeout)
                        .doOnNext(count -> counts.get(status).set(count)))
                .then();
    }

    @Override
    public void start() {
        schedule = Flux.interval(Duration.ZERO, EVERY)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(e -> {
                    LOG.debug("Counting jobs by status failed; the gauges keep their last values", e);
                    return Mono.empty();
                }), 1)
                .subscribe();
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
