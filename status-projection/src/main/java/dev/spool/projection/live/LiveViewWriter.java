package dev.spool.projection.live;

import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.projection.write.DurableWriteHealth;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.view.FeedKind;
import dev.spool.schemas.view.JobView;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live writer: folds one event into its job's view in Redis and appends the change to the job's feed, which SSE
 * readers follow. It runs in its own consumer group, independent of the durable writer, so that Redis stays current
 * while MongoDB is down (its views then live longer) and MongoDB stays current while Redis is down.
 *
 * <p>It folds from the view in Redis; when Redis has none (a new job, or one whose view expired) it starts from the
 * view in MongoDB, and from nothing when MongoDB has none or cannot answer. A view folded from nothing but a signal
 * (read before the job's acceptance, which travels on the other topic) has no owner until the acceptance arrives;
 * status reads fall back to MongoDB for such a view.
 *
 * <p>Blocking, like the durable writer: a Redis failure is thrown, so the record is retried and no feed entry is
 * skipped.
 */
public final class LiveViewWriter {

    /** Lost compare-and-set races in a row before the write counts as failed (and is retried by the listener). */
    private static final int MAX_LOST_RACES = 10;

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
     * @param redisTimeout longest wait for one Redis call
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

    /** What one write did. */
    public enum Outcome {
        /** A view was stored and a feed entry appended. */
        WRITTEN,
        /** The event changed nothing (a duplicate, or a stale signal). */
        UNCHANGED
    }

    /**
     * Folds {@code event} into the job's live view.
     *
     * @throws RuntimeException when Redis failed or kept changing under the writer; retry the event
     */
    public Outcome write(JobEvent event) {
        String jobId = event.jobId();
        for (int race = 0; race < MAX_LOST_RACES; race++) {
            String stored = store.read(jobId).block(settings.redisTimeout());
            JobView before = stored != null ? decode(stored) : durableView(jobId);
            JobView after = fold.apply(before, event);
            // A view taken from MongoDB is stored even when the event adds nothing to it: Redis lacked it.
            boolean seeded = stored == null && before != null;
            if (after == before && !seeded) {
                return Outcome.UNCHANGED;
            }
            // The first entry of a feed is a status (or the end), whatever came before it elsewhere.
            FeedKind kind = FeedKind.of(stored == null ? null : before, after);
            Duration ttl = durableHealth.isFailing() ? settings.degradedTtl() : settings.ttl();
            Boolean written = store.replace(jobId, stored, EventJson.mapper().writeValueAsString(after), kind, ttl)
                    .block(settings.redisTimeout());
            if (Boolean.TRUE.equals(written)) {
                return Outcome.WRITTEN;
            }
        }
        throw new IllegalStateException("the live view of job " + jobId + " changed under " + MAX_LOST_RACES
                + " attempts to write it");
    }

    /** MongoDB's view of a job Redis has none of; {@code null} when MongoDB has none or cannot answer in time. */
    private JobView durableView(String jobId) {
        if (durableHealth.isFailing()) {
            return null;
        }
        try {
            return durableViews.find(jobId).block(settings.mongoTimeout());
        } catch (RuntimeException e) {
            LOG.debug("job {}: MongoDB did not answer for its view: {}", jobId, e.toString());
            return null;
        }
    }

    private static JobView decode(String json) {
        return EventJson.mapper().readValue(json, JobView.class);
    }
}
