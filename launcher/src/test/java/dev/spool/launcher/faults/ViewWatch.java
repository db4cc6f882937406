package dev.spool.launcher.faults;

import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches jobs until both views (MongoDB and Redis) show them completed, and remembers when each one first did: how
 * far the projection lags the facts, for instance while a projection instance's partitions move to another one.
 */
public final class ViewWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ViewWatch.class);
    private static final Duration EVERY = Duration.ofMillis(200);

    private final EventLog events;
    private final ViewStores views;
    private final Supplier<List<String>> jobs;
    private final Map<String, Instant> completedInBothViews = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "view-watch");
        thread.setDaemon(true);
        return thread;
    });

    private ViewWatch(EventLog events, ViewStores views, Supplier<List<String>> jobs) {
        this.events = events;
        this.views = views;
        this.jobs = jobs;
    }

    /** Starts watching the jobs that {@code jobs} names (asked again at every look, so it may grow). */
    public static ViewWatch start(EventLog events, ViewStores views, Supplier<List<String>> jobs) {
        ViewWatch watch = new ViewWatch(events, views, jobs);
        watch.poller.scheduleWithFixedDelay(watch::look, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return watch;
    }

    private void look() {
        try {
            List<String> pending = jobs.get().stream().filter(jobId -> !completedInBothViews.containsKey(jobId)).toList();
            if (pending.isEmpty()) {
                return;
            }
            Map<String, JobView> mongo = views.mongoViews(pending);
            Map<String, JobView> redis = views.redisViews(pending);
            Instant now = Instant.now();
            pending.stream().filter(jobId -> isCompleted(mongo.get(jobId)) && isCompleted(redis.get(jobId)))
                    .forEach(jobId -> completedInBothViews.put(jobId, now));
        } catch (RuntimeException e) {
            LOG.info("Could not read the views this time ({}); looking again", e.toString());
        }
    }

    /**
     * The longest wait, over the watched jobs whose completed fact was read, from {@code since} or the fact's reading,
     * whichever came later, to both views showing the job completed; empty while some such job is not yet shown.
     */
    public Optional<Duration> longestLagAfter(Instant since) {
        Duration longest = Duration.ZERO;
        for (String jobId : jobs.get()) {
            Optional<Instant> read = events.completedReadAt(jobId);
            if (read.isEmpty()) {
                continue;
            }
            Instant shown = completedInBothViews.get(jobId);
            if (shown == null) {
                return Optional.empty();
            }
            Instant from = read.get().isAfter(since) ? read.get() : since;
            Duration lag = Duration.between(from, shown);
            if (lag.compareTo(longest) > 0) {
                longest = lag;
            }
        }
        return Optional.of(longest);
    }

    private static boolean isCompleted(JobView view) {
        return view != null && view.status() == JobStatus.COMPLETED;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
