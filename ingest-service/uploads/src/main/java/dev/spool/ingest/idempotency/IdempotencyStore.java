package dev.spool.ingest.idempotency;

import dev.spool.ingest.config.StatusProperties;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.resilience.Dependency;
import dev.spool.ingest.resilience.DependencyGuard;
import dev.spool.schemas.envelope.EventJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Remembers {@code Idempotency-Key}s in Redis, shared by every ingest instance. A key is first claimed (so that two
 * concurrent requests with one key cannot both run), then completed with the request's fingerprint and answer, or
 * released when the request failed so that the client can try again. Keys are scoped to the user who sent them.
 *
 * <p>A claim is a short lease that its request renews while it runs ({@link #holding}). A claim whose request is
 * gone (its instance crashed, or Redis took the claim but its answer was lost, so the request failed without knowing
 * it held the key) frees itself within one lease, rather than refusing the client's retries for minutes.
 */
@Component
public class IdempotencyStore {

    private static final String PREFIX = "spool:idempotency:";
    private static final String PENDING = "pending";
    private static final String DONE = "done";
    private static final RedisScript<Long> RENEW = RedisScript.of(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0",
            Long.class);
    private static final RedisScript<Long> RELEASE = RedisScript.of(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", Long.class);
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyStore.class);

    private final ReactiveStringRedisTemplate redis;
    private final DependencyGuard guard;
    private final JsonMapper json = EventJson.mapper();
    private final Duration lockTtl;
    private final Duration ttl;
    private final Duration timeout;

    public IdempotencyStore(ReactiveStringRedisTemplate redis, DependencyGuard guard, IdempotencyProperties idempotency,
            StatusProperties status) {
        this.redis = redis;
        this.guard = guard;
        this.lockTtl = idempotency.idempotencyLockTtl();
        this.ttl = idempotency.idempotencyTtl();
        this.timeout = status.storeTimeout();
    }

    /** The state of a key when a request arrives with it. */
    public sealed interface Claim {

        /**
         * The key was free and now belongs to this request.
         *
         * @param lease what this request stored under the key, unique to it, so that it renews and releases only its
         *     own claim
         */
        record Acquired(String lease) implements Claim {
        }

        /**
         * Another request with this key is still running, or its instance died and the claim has not lapsed yet.
         *
         * @param leaseLeft how long the claim lasts unless its request renews it: a retry sent after it finds the key
         *     free if the request is gone
         */
        record InProgress(Duration leaseLeft) implements Claim {
        }

        /**
         * A request with this key completed.
         *
         * @param fingerprint the completed request's fingerprint
         * @param answer the completed request's answer, as stored by {@link #complete}
         */
        record Completed(String fingerprint, String answer) implements Claim {
        }
    }

    /** Claims {@code key} for a new request of {@code userId}, or reports who has it. */
    public Mono<Claim> claim(String userId, String key) {
        String redisKey = redisKey(userId, key);
        String lease = write(new Entry(PENDING, null, null, UUID.randomUUID().toString()));
        Mono<Claim> claim = redis.opsForValue().setIfAbsent(redisKey, lease, lockTtl)
                .flatMap(acquired -> acquired
                        ? Mono.<Claim>just(new Claim.Acquired(lease))
                        : redis.opsForValue().get(redisKey).flatMap(value -> read(redisKey, value))
                                // Gone between the two calls: it expired or was released; claim it afresh.
                                .switchIfEmpty(Mono.defer(() -> claim(userId, key))));
        return guarded(claim);
    }

    /**
     * Runs {@code work} while renewing {@code claim} every third of its lease. A renewal that fails is left to the
     * next one: for as long as Redis is away the claim may lapse, which is no worse than a claim that cannot be made.
     */
    public <T> Mono<T> holding(String userId, String key, Claim.Acquired claim, Mono<T> work) {
        String redisKey = redisKey(userId, key);
        String ttlMillis = Long.toString(lockTtl.toMillis());
        Flux<Long> renewals = Flux.interval(lockTtl.dividedBy(3))
                .onBackpressureDrop()
                .concatMap(tick -> redis.execute(RENEW, List.of(redisKey), List.of(claim.lease(), ttlMillis))
                        .timeout(timeout)
                        .onErrorResume(e -> {
                            LOG.debug("Renewing an Idempotency-Key's claim failed; the next renewal tries again", e);
                            return Mono.empty();
                        }), 1);
        return Mono.using(renewals::subscribe, renewing -> work, Disposable::dispose);
    }

    /** Remembers the answer of the request that claimed {@code key}. */
    public Mono<Void> complete(String userId, String key, String fingerprint, String answer) {
        return guarded(redis.opsForValue().set(redisKey(userId, key), write(new Entry(DONE, fingerprint, answer, null)),
                ttl).then());
    }

    /** Frees {@code key} after its request failed, so that a retry runs anew; a claim since taken by another stays. */
    public Mono<Void> release(String userId, String key, Claim.Acquired claim) {
        return guarded(redis.execute(RELEASE, List.of(redisKey(userId, key)), List.of(claim.lease())).then());
    }

    /** Behind the Redis breaker and the store timeout; any failure is {@code idempotency_unavailable}. */
    private <T> Mono<T> guarded(Mono<T> call) {
        return guard.call(Dependency.REDIS, ProblemCode.IDEMPOTENCY_UNAVAILABLE, call.timeout(timeout))
                .onErrorMap(e -> !(e instanceof SpoolProblem), e -> new SpoolProblem(ProblemCode.IDEMPOTENCY_UNAVAILABLE, e));
    }

    private Mono<Claim> read(String redisKey, String value) {
        Entry entry = json.readValue(value, Entry.class);
        if (DONE.equals(entry.state())) {
            return Mono.just(new Claim.Completed(entry.fingerprint(), entry.answer()));
        }
        return redis.getExpire(redisKey)
                .map(left -> new Claim.InProgress(left.isNegative() || left.isZero() || left.compareTo(lockTtl) > 0
                        ? lockTtl : left));
    }

    private String write(Entry entry) {
        return json.writeValueAsString(entry);
    }

    /** Hashed, so that neither the user id nor the client's key can reshape the Redis key space. */
    static String redisKey(String userId, String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(userId.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(key.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /** What Redis holds per key; {@code lease} tells one request's claim from another's. */
    private record Entry(String state, String fingerprint, String answer, String lease) {
    }
}
