package dev.spool.ingest.idempotency;

import dev.spool.ingest.config.IngestProperties;
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
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Remembers {@code Idempotency-Key}s in Redis, shared by every ingest instance. A key is first claimed (so that two
 * concurrent requests with one key cannot both run), then completed with the request's fingerprint and answer, or
 * released when the request failed so that the client can try again. Keys are scoped to the user who sent them.
 */
@Component
public class IdempotencyStore {

    private static final String PREFIX = "spool:idempotency:";
    private static final String PENDING = "pending";
    private static final String DONE = "done";

    private final ReactiveStringRedisTemplate redis;
    private final DependencyGuard guard;
    private final JsonMapper json = EventJson.mapper();
    private final Duration lockTtl;
    private final Duration ttl;
    private final Duration timeout;

    public IdempotencyStore(ReactiveStringRedisTemplate redis, DependencyGuard guard, IngestProperties ingest) {
        this.redis = redis;
        this.guard = guard;
        this.lockTtl = ingest.idempotencyLockTtl();
        this.ttl = ingest.idempotencyTtl();
        this.timeout = ingest.storeTimeout();
    }

    /** The state of a key when a request arrives with it. */
    public sealed interface Claim {

        /** The key was free and now belongs to this request. */
        record Acquired() implements Claim {
        }

        /** Another request with this key is still running. */
        record InProgress() implements Claim {
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
        Mono<Claim> claim = redis.opsForValue().setIfAbsent(redisKey, write(new Entry(PENDING, null, null)), lockTtl)
                .flatMap(acquired -> acquired
                        ? Mono.<Claim>just(new Claim.Acquired())
                        : redis.opsForValue().get(redisKey).map(this::read)
                                // Gone between the two calls: it expired or was released; claim it afresh.
                                .switchIfEmpty(Mono.defer(() -> claim(userId, key))));
        return guarded(claim);
    }

    /** Remembers the answer of the request that claimed {@code key}. */
    public Mono<Void> complete(String userId, String key, String fingerprint, String answer) {
        return guarded(redis.opsForValue().set(redisKey(userId, key), write(new Entry(DONE, fingerprint, answer)), ttl)
                .then());
    }

    /** Frees {@code key} after its request failed, so that a retry runs anew. */
    public Mono<Void> release(String userId, String key) {
        return guarded(redis.delete(redisKey(userId, key)).then());
    }

    /** Behind the Redis breaker and the store timeout; any failure is {@code idempotency_unavailable}. */
    private <T> Mono<T> guarded(Mono<T> call) {
        return guard.call(Dependency.REDIS, ProblemCode.IDEMPOTENCY_UNAVAILABLE, call.timeout(timeout))
                .onErrorMap(e -> !(e instanceof SpoolProblem), e -> new SpoolProblem(ProblemCode.IDEMPOTENCY_UNAVAILABLE, e));
    }

    private Claim read(String value) {
        Entry entry = json.readValue(value, Entry.class);
        return DONE.equals(entry.state()) ? new Claim.Completed(entry.fingerprint(), entry.answer())
                : new Claim.InProgress();
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

    /** What Redis holds per key. */
    private record Entry(String state, String fingerprint, String answer) {
    }
}
