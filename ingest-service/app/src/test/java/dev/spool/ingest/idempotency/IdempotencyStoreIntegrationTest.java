package dev.spool.ingest.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spool.infra.net.FreePorts;
import dev.spool.ingest.TestSettings;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.testsupport.SharedInfra;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Idempotency keys in the real Redis: claimed once, remembered, released, scoped per user, and Redis down. */
class IdempotencyStoreIntegrationTest {

    private static LettuceConnectionFactory connections;
    private static LettuceConnectionFactory unreachable;
    private static IdempotencyStore store;

    @BeforeAll
    static void connect() {
        connections = factory(SharedInfra.get().redisHost(), SharedInfra.get().redisPort());
        unreachable = factory("127.0.0.1", FreePorts.resolve(0));
        store = storeOn(connections);
    }

    @AfterAll
    static void close() {
        connections.destroy();
        unreachable.destroy();
    }

    @Test
    void aKeyIsClaimedOnceThenRememberedWithItsAnswer() {
        String user = "user-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();

        StepVerifier.create(store.claim(user, key))
                .assertNext(claim -> assertThat(claim).isInstanceOf(IdempotencyStore.Claim.Acquired.class))
                .verifyComplete();
        StepVerifier.create(store.claim(user, key))
                .assertNext(claim -> assertThat(claim).isInstanceOf(IdempotencyStore.Claim.InProgress.class))
                .verifyComplete();

        store.complete(user, key, "fingerprint-1", "{\"answer\":1}").block(Duration.ofSeconds(5));

        StepVerifier.create(store.claim(user, key))
                .assertNext(claim -> assertThat(claim).isEqualTo(
                        new IdempotencyStore.Claim.Completed("fingerprint-1", "{\"answer\":1}")))
                .verifyComplete();
    }

    @Test
    void aReleasedKeyCanBeClaimedAgain() {
        String user = "user-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        IdempotencyStore.Claim.Acquired claim = acquire(store, user, key);

        store.release(user, key, claim).block(Duration.ofSeconds(5));

        StepVerifier.create(store.claim(user, key))
                .assertNext(again -> assertThat(again).isInstanceOf(IdempotencyStore.Claim.Acquired.class))
                .verifyComplete();
    }

    /** A request that failed after its claim lapsed and was taken by a retry must not free the retry's claim. */
    @Test
    void releasingFreesOnlyTheReleasersOwnClaim() {
        IdempotencyStore leases = storeWithLease(Duration.ofMillis(300));
        String user = "user-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        IdempotencyStore.Claim.Acquired lapsed = acquire(leases, user, key);
        // the retry's claim, taken as soon as the unrenewed one has lapsed
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> claimOf(leases, user, key) instanceof IdempotencyStore.Claim.Acquired);

        leases.release(user, key, lapsed).block(Duration.ofSeconds(5));

        assertThat(claimOf(leases, user, key)).isInstanceOf(IdempotencyStore.Claim.InProgress.class);
    }

    @Test
    void aClaimWhoseRequestIsGoneLapsesWithinItsLeaseWhileARunningRequestKeepsItsOwn() {
        IdempotencyStore leases = storeWithLease(Duration.ofMillis(600));
        String user = "user-" + UUID.randomUUID();
        String orphaned = UUID.randomUUID().toString();
        String running = UUID.randomUUID().toString();
        acquire(leases, user, orphaned);
        IdempotencyStore.Claim.Acquired held = acquire(leases, user, running);

        leases.holding(user, running, held, Mono.delay(Duration.ofMillis(2_400))).block(Duration.ofSeconds(10));

        assertThat(claimOf(leases, user, orphaned)).isInstanceOf(IdempotencyStore.Claim.Acquired.class);
        assertThat(claimOf(leases, user, running)).isInstanceOf(IdempotencyStore.Claim.InProgress.class);
    }

    private static IdempotencyStore.Claim claimOf(IdempotencyStore on, String user, String key) {
        return on.claim(user, key).block(Duration.ofSeconds(5));
    }

    private static IdempotencyStore.Claim.Acquired acquire(IdempotencyStore on, String user, String key) {
        IdempotencyStore.Claim claim = claimOf(on, user, key);
        assertThat(claim).isInstanceOf(IdempotencyStore.Claim.Acquired.class);
        return (IdempotencyStore.Claim.Acquired) claim;
    }

    @Test
    void keysAreScopedPerUser() {
        String key = UUID.randomUUID().toString();
        store.claim("alice-" + key, key).block(Duration.ofSeconds(5));

        StepVerifier.create(store.claim("bob-" + key, key))
                .assertNext(claim -> assertThat(claim).isInstanceOf(IdempotencyStore.Claim.Acquired.class))
                .verifyComplete();
        assertThat(IdempotencyStore.redisKey("a", "b:c")).isNotEqualTo(IdempotencyStore.redisKey("a:b", "c"));
    }

    @Test
    void redisDownIsIdempotencyUnavailable() {
        StepVerifier.create(storeOn(unreachable).claim("user", UUID.randomUUID().toString()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SpoolProblem.class,
                        problem -> assertThat(problem.code()).isEqualTo(ProblemCode.IDEMPOTENCY_UNAVAILABLE)))
                .verify(Duration.ofSeconds(10));
    }

    private static IdempotencyStore storeWithLease(Duration lease) {
        return new IdempotencyStore(new ReactiveStringRedisTemplate(connections), TestSettings.guard(),
                TestSettings.idempotency(lease),
                TestSettings.status(Duration.ofSeconds(1)));
    }

    private static IdempotencyStore storeOn(LettuceConnectionFactory factory) {
        return new IdempotencyStore(new ReactiveStringRedisTemplate(factory), TestSettings.guard(),
                TestSettings.idempotency(Duration.ofSeconds(30)),
                TestSettings.status(Duration.ofSeconds(1)));
    }

    private static LettuceConnectionFactory factory(String host, int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
