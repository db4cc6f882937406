package dev.spool.launcher.faults;

import static org.awaitility.Awaitility.await;

import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Tells when the pipeline completes jobs again after a fault: a job whose completed fact was committed after the
 * fault ended is shown completed in MongoDB and in Redis alike, so processing and both views work end to end.
 */
public final class RecoveryProbe {

    private static final Duration LONGEST = Duration.ofMinutes(3);
    private static final int SAMPLE = 50;

    private final EventLog events;
    private final ViewStores views;

    public RecoveryProbe(EventLog events, ViewStores views) {
        this.events = events;
        this.views = views;
    }

    /**
     * Waits until the pipeline completed, after {@code faultEnded}, a job that {@code counts}, and shows it completed in
     * both views; returns how long that took.
     */
    public Duration awaitRecovery(Instant faultEnded, Predicate<String> counts) {
        AtomicReference<Instant> recovered = new AtomicReference<>();
        await().atMost(LONGEST).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    if (completedEverywhere(faultEnded, counts)) {
                        recovered.set(Instant.now());
                        return true;
                    }
                    return false;
                });
        return Duration.between(faultEnded, recovered.get());
    }

    private boolean completedEverywhere(Instant after, Predicate<String> counts) {
        List<String> completed = events.completedAfter(after).stream().filter(counts).toList();
        List<String> sample = completed.subList(0, Math.min(SAMPLE, completed.size()));
        if (sample.isEmpty()) {
            return false;
        }
        Map<String, JobView> mongo = views.mongoViews(sample);
        Map<String, JobView> redis = views.redisViews(sample);
        return sample.stream().anyMatch(jobId -> isCompleted(mongo.get(jobId)) && isCompleted(redis.get(jobId)));
    }

    private static boolean isCompleted(JobView view) {
        return view != null && view.status() == JobStatus.COMPLETED;
    }
}
