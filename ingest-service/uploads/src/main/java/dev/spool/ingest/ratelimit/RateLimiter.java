package dev.spool.ingest.ratelimit;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Token buckets per user and per client address, held in Redis through Bucket4j so that all ingest instances share
 * them. An upload takes one token from each bucket and goes ahead only when both had one.
 *
 * <p>The Redis connection is opened on first use, and opened again after a failed attempt, so the service starts
 * and keeps serving while Redis is down; what happens to uploads meanwhile is {@link RateLimitProperties#failOpen()}.
 * Every decision is counted in {@code spool.ratelimit.decisions} by {@code outcome} and {@code bucket}.
 */
public class RateLimiter implements AutoCloseable {

    /** Name of the per-user bucket, in decisions and metrics. */
    public static final String USER = "user";
    /** Name of the per-address bucket, in decisions and metrics. */
    public static final String IP = "ip";

    static final String METRIC = "spool.ratelimit.decisions";

    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
    /** After a failed connection attempt, checks fail at once for this long instead of each trying to connect. */
    private static final long RECONNECT_PAUSE_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();

    private final RedisClient client;
    private final RedisURI uri;
    private final RateLimitProperties properties;
    private final MeterRegistry meters;
    private final BucketConfiguration userBucket;
    private final BucketConfiguration ipBucket;
    private final AtomicReference<CompletableFuture<Connected>> connection = new AtomicReference<>();
    private final AtomicLong connectAgainAt = new AtomicLong(System.nanoTime());
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
    private volatile boolean closed;

    public RateLimiter(RedisClient client, RedisURI uri, RateLimitProperties properties, MeterRegistry meters) {
        this.client = client;
        this.uri = uri;
        this.properties = properties;
        this.meters = meters;
        this.userBucket = configuration(properties.perUser());
        this.ipBucket = configuration(properties.perIp());
    }

    private record Connected(StatefulRedisConnection<byte[], byte[]> connection, AsyncProxyManager<byte[]> buckets) {
    }

    /**
     * Takes a token for one upload of {@code userId} from {@code clientIp}. A {@code null} user is limited by its
     * address only. Fails with {@code rate_limit_unavailable} when Redis cannot be asked and the limiter fails closed.
     */
    public Mono<RateDecision> check(String userId, String clientIp) {
        Mono<RateDecision> decision = userId == null
                ? consume(IP, clientIp)
                : consume(USER, userId).flatMap(user -> user.allowed() ? afterUser(user, userId, clientIp) : Mono.just(user));
        return decision.onErrorResume(this::unavailable);
    }

    /** Closes the Redis connection; the client belongs to whoever created it. */
    @Override
    public void close() {
        closed = true;
        CompletableFuture<Connected> current = connection.get();
        Connected connected = current == null || current.isCompletedExceptionally() ? null : current.getNow(null);
        if (connected != null) {
            connected.connection().close();
        }
    }

    private Mono<RateDecision> afterUser(RateDecision user, String userId, String clientIp) {
        return consume(IP, clientIp).flatMap(ip -> {
            if (ip.allowed()) {
                return Mono.just(ip.remaining() < user.remaining() ? ip : user);
            }
            // The upload does not happen, so it must not cost the user a token: a crowded address would otherwise
            // drain the buckets of everyone behind it.
            return Mono.fromFuture(() -> bucket(USER, userId).thenCompose(bucket -> bucket.addTokens(1)))
                    .timeout(properties.redisTimeout())
                    .onErrorResume(e -> Mono.empty())
                    .thenReturn(ip);
        });
    }

    private Mono<RateDecision> consume(String name, String id) {
        RateLimitProperties.Limit limit = USER.equals(name) ? properties.perUser() : properties.perIp();
        return Mono.fromFuture(() -> bucket(name, id).thenCompose(bucket -> bucket.tryConsumeAndReturnRemaining(1)))
                .timeout(properties.redisTimeout())
                .doOnError(e -> count("error", name))
                .map(probe -> decision(name, limit, probe))
                .doOnNext(decision -> count(decision.allowed() ? "allowed" : "limited", name));
    }

    private CompletableFuture<AsyncBucketProxy> bucket(String name, String id) {
        byte[] key = (properties.keyPrefix() + name + ":" + id).getBytes(StandardCharsets.UTF_8);
        BucketConfiguration configuration = USER.equals(name) ? userBucket : ipBucket;
        return buckets().thenApply(connected -> connected.buckets().builder().build(key, configuration));
    }

    private CompletableFuture<Connected> buckets() {
        CompletableFuture<Connected> current = connection.get();
        boolean failed = current != null && current.isCompletedExceptionally();
        if (current != null && (!failed || System.nanoTime() - connectAgainAt.get() < 0)) {
            return current;
        }
        CompletableFuture<Connected> attempt = new CompletableFuture<>();
        if (!connection.compareAndSet(current, attempt)) {
            return connection.get();
        }
        client.connectAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((opened, failure) -> {
            if (failure != null) {
                connectAgainAt.set(System.nanoTime() + RECONNECT_PAUSE_NANOS);
                attempt.completeExceptionally(failure);
            } else {
                attempt.complete(new Connected(opened, RateLimitConfiguration.proxyManager(opened, properties.redisTimeout())));
                if (closed) {
                    opened.closeAsync();
                }
            }
        });
        return attempt;
    }

    private Mono<RateDecision> unavailable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (!properties.failOpen()) {
            return Mono.error(new SpoolProblem(ProblemCode.RATE_LIMIT_UNAVAILABLE, cause));
        }
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("Rate limits are not enforced: Redis at {}:{} cannot be reached ({})", uri.getHost(), uri.getPort(),
                    String.valueOf(cause));
        }
        return Mono.just(RateDecision.unchecked());
    }

    private void count(String outcome, String bucket) {
        meters.counter(METRIC, "outcome", outcome, "bucket", bucket).increment();
    }

    private static RateDecision decision(String name, RateLimitProperties.Limit limit, ConsumptionProbe probe) {
        return new RateDecision(probe.isConsumed(), name, limit.capacity(), probe.getRemainingTokens(),
                Duration.ofNanos(probe.getNanosToWaitForReset()), Duration.ofNanos(probe.getNanosToWaitForRefill()),
                policy(limit));
    }

    private static BucketConfiguration configuration(RateLimitProperties.Limit limit) {
        return BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.capacity())
                        .refillGreedy(limit.refillTokens(), limit.refillPeriod()))
                .build();
    }

    /** The draft's quota policy: the capacity, and the seconds an empty bucket takes to fill up ({@code w}). */
    static String policy(RateLimitProperties.Limit limit) {
        long fillNanos = Math.multiplyExact(limit.capacity(), limit.refillPeriod().toNanos()) / limit.refillTokens();
        long seconds = Math.max(1, (fillNanos + 999_999_999L) / 1_000_000_000L);
        return limit.capacity() + ";w=" + seconds;
    }
}
