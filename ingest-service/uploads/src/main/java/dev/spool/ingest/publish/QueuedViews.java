package dev.spool.ingest.publish;

import dev.spool.ingest.config.StatusProperties;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.resilience.Dependency;
import dev.spool.ingest.resilience.DependencyGuard;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.view.FeedKind;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.LiveViewWrite;
import dev.spool.schemas.view.OwnerFeedAppend;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes each accepted job's first live view, queued, and the first entry of its feed and of its owner's feed into
 * Redis after Kafka has the job and before the upload is answered: the job's status URL and feed then answer with it, through any instance,
 * from the moment the {@code 202} is sent, instead of {@code 404} until the projection has caught up. It writes only
 * where Redis has no view of the job (a projection that got there first holds a newer one), through the projection's
 * own script, and it writes {@link JobView#accepted the view the projection folds the acceptance into}, so the
 * projection finds the acceptance applied and goes on from there.
 *
 * <p>Best effort: the job exists once Kafka has it. When Redis fails or is slow (behind its breaker, within the status
 * store timeout), the upload is answered all the same and the projection writes the view a moment later.
 */
@Component
public class QueuedViews {

    /**
     * The projection's default time to live of a live view; its next write of the job, at the job's start, sets its
     * own.
     */
    static final Duration TTL = Duration.ofHours(24);

    private static final RedisScript<Long> WRITE = RedisScript.of(LiveViewWrite.SCRIPT, Long.class);
    private static final RedisScript<Long> APPEND_TO_OWNER = RedisScript.of(OwnerFeedAppend.SCRIPT, Long.class);
    private static final Logger LOG = LoggerFactory.getLogger(QueuedViews.class);

    private final ReactiveStringRedisTemplate redis;
    private final DependencyGuard guard;
    private final Duration timeout;

    public QueuedViews(ReactiveStringRedisTemplate redis, DependencyGuard guard, StatusProperties status) {
        this.redis = redis;
        this.guard = guard;
        this.timeout = status.storeTimeout();
    }

    /**
     * Connects to Redis and has it keep the script, so that the first upload's view is written by its digest at once,
     * and builds the view's JSON writer; completes when done, fails when Redis cannot be reached.
     */
    public Mono<Void> warmUp() {
        ByteBuffer script = ByteBuffer.wrap(LiveViewWrite.SCRIPT.getBytes(StandardCharsets.UTF_8));
        ByteBuffer append = ByteBuffer.wrap(OwnerFeedAppend.SCRIPT.getBytes(StandardCharsets.UTF_8));
        // a sample view, written to nowhere, builds the view's JSON writer
        EventJson.mapper().writeValueAsString(JobView.accepted(new JobAccepted("warm-up", "warm-up", "warm-up.txt", 1,
                "00".repeat(32), "text/plain", "text/plain", Priority.NORMAL, "warm-up", "warm-up", 1, Instant.EPOCH)));
        return redis.execute(connection -> connection.scriptingCommands().scriptLoad(script)
                .then(connection.scriptingCommands().scriptLoad(append))).then();
    }

    /** Writes the queued views of {@code jobs}; completes when they are written, or when writing them failed. */
    public Mono<Void> write(List<JobAccepted> jobs) {
        return Flux.fromIterable(jobs).flatMap(this::write).then();
    }

    private Mono<Void> write(JobAccepted job) {
        JobView view = JobView.accepted(job);
        List<LiveViewWrite.FeedEntry> changes = List.of(
                new LiveViewWrite.FeedEntry(FeedKind.of(null, view), EventJson.mapper().writeValueAsString(view)));
        LiveViewWrite write = new LiveViewWrite(job.jobId(), null, TTL, changes);
        OwnerFeedAppend append = new OwnerFeedAppend(job.ownerId(), changes);
        // The owner's feed first, as the projection does (see ViewStorage): when the view then turns out to exist
        // already, the owner's readers got an older version of it, which they ignore.
        Mono<Long> call = redis.execute(APPEND_TO_OWNER, append.keys(), append.args())
                .then(redis.execute(WRITE, write.keys(), write.args()).next())
                .timeout(timeout);
        return guard.call(Dependency.REDIS, ProblemCode.STATUS_UNAVAILABLE, call)
                .doOnNext(written -> {
                    if (written == 0L) {
                        LOG.debug("Job {} already had a live view; its queued view was not written", job.jobId());
                    }
                })
                .onErrorResume(e -> {
                    LOG.warn("Could not write the queued view of job {}; its status reads wait for the projection: {}",
                            job.jobId(), e.toString());
                    return Mono.empty();
                })
                .then();
    }
}
