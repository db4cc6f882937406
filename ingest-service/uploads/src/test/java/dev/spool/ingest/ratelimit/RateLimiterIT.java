package dev.spool.ingest.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.infra.net.FreePorts;
import dev.spool.testsupport.SharedInfra;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The upload buckets in the real Redis: bursts, sharing across instances, per-address limits and Redis down. */
class RateLimiterIT {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<RedisClient> clients = new ArrayList<>();
    private final List<RateLimiter> limiters = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        limiters.forEach(RateLimiter::close);
        clients.forEach(RedisClient::shutdown);
    }

    @Test
    void aBurstOfCapacityIsAllowedThenRefusedWithAPositiveRetryAfter() {
        RateLimiter limiter = limiter(redisPort(), settings(3, 10, true));
        String user = user();
        String ip = ip();

        for (long remaining = 2; remaining >= 0; remaining--) {
            long expected = remaining;
            StepVerifier.create(limiter.check(user, ip))
                    .assertNext(decision -> {
                        assertThat(decision.allowed()).isTrue();
                        assertThat(decision.bucket()).isEqualTo(RateLimiter.USER);
                        assertThat(decision.limit()).isEqualTo(3);
                        assertThat(decision.remaining()).isEqualTo(expected);
                        assertThat(decision.policy()).isEqualTo("3;w=3600");
                    })
                    .expectComplete()
                    .verify(WAIT);
        }
        StepVerifier.create(limiter.check(user, ip))
                .assertNext(decision -> {
                    assertThat(decision.allowed()).isFalse();
                    assertThat(decision.bucket()).isEqualTo(RateLimiter.USER);
                    assertThat(decision.remaining()).isZero();
                    assertThat(decision.retryAfter()).isPositive();
                    assertThat(decision.resetSeconds()).isPositive();
                })
                .expectComplete()
                .verify(WAIT);

        assertThat(count("allowed", RateLimiter.USER)).isEqualTo(3);
        assertThat(count("allowed", RateLimiter.IP)).isEqualTo(3);
        assertThat(count("limited", RateLimiter.USER)).isEqualTo(1);
    }

    @Test
    void twoInstancesShareOneBucket() {
        RateLimitProperties settings = settings(3, 10, true);
        RateLimiter first = limiter(redisPort(), settings);
        RateLimiter second = limiter(redisPort(), settings);
        String user = user();

        assertThat(allowed(first, user, ip())).isTrue();
        assertThat(allowed(second, user, ip())).isTrue();
        assertThat(allowed(first, user, ip())).isTrue();
        assertThat(allowed(second, user, ip())).isFalse();
        assertThat(allowed(first, user, ip())).isFalse();
    }

    @Test
    void anAddressIsLimitedWhoeverSendsFromItAndARefusalCostsTheUserNothing() {
        RateLimiter limiter = limiter(redisPort(), settings(3, 2, true));
        String ip = ip();
        assertThat(allowed(limiter, user(), ip)).isTrue();
        assertThat(allowed(limiter, user(), ip)).isTrue();

        String user = user();
        StepVerifier.create(limiter.check(user, ip))
                .assertNext(decision -> {
                    assertThat(decision.allowed()).isFalse();
                    assertThat(decision.bucket()).isEqualTo(RateLimiter.IP);
                    assertThat(decision.limit()).isEqualTo(2);
                    assertThat(decision.retryAfter()).isPositive();
                })
                .expectComplete()
                .verify(WAIT);
        // The refused upload took no token from the user: all three are still there, from other addresses.
        assertThat(allowed(limiter, user, ip())).isTrue();
        assertThat(allowed(limiter, user, ip())).isTrue();
        assertThat(allowed(limiter, user, ip())).isTrue();
        assertThat(limiter.check(user, ip()).block(WAIT).bucket()).isEqualTo(RateLimiter.USER);
        assertThat(count("limited", RateLimiter.IP)).isEqualTo(1);
    }

    @Test
    void failsOpenWhenRedisIsUnreachable() {
        RateLimiter limiter = limiter(FreePorts.resolve(0), settings(3, 10, true));

        for (int i = 0; i < 2; i++) {
            StepVerifier.create(limiter.check(user(), ip()))
                    .assertNext(decision -> {
                        assertThat(decision.allowed()).isTrue();
                        assertThat(decision.checked()).isFalse();
                    })
                    .expectComplete()
                    .verify(WAIT);
        }
        assertThat(count("error", RateLimiter.USER)).isEqualTo(2);
    }

    @Test
    void failsClosedWhenRedisIsUnreachableAndFailOpenIsOff() {
        RateLimiter limiter = limiter(FreePorts.resolve(0), settings(3, 10, false));

        StepVerifier.create(limiter.check(user(), ip()))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(SpoolProblem.class,
                        problem -> assertThat(problem.code()).isEqualTo(ProblemCode.RATE_LIMIT_UNAVAILABLE)))
                .verify(WAIT);
    }

    private RateLimiter limiter(int port, RateLimitProperties settings) {
        RedisClient client = RedisClient.create();
        client.setOptions(RateLimitConfiguration.clientOptions(TIMEOUT));
        clients.add(client);
        RedisURI uri = RedisURI.Builder.redis(SharedInfra.get().redisHost(), port).withTimeout(TIMEOUT).build();
        RateLimiter limiter = new RateLimiter(client, uri, settings, meters);
        limiters.add(limiter);
        return limiter;
    }

    /** Buckets that do not refill within a test, so that the counts are exact. */
    private static RateLimitProperties settings(long perUser, long perIp, boolean failOpen) {
        return new RateLimitProperties(true,
                new RateLimitProperties.PerUser(perUser, perUser, Duration.ofHours(1)),
                new RateLimitProperties.PerIp(perIp, perIp, Duration.ofHours(1)),
                failOpen, TIMEOUT, "spool:ratelimit:test:", false);
    }

    private static boolean allowed(RateLimiter limiter, String user, String ip) {
        return limiter.check(user, ip).block(WAIT).allowed();
    }

    private double count(String outcome, String bucket) {
        return meters.counter(RateLimiter.METRIC, "outcome", outcome, "bucket", bucket).count();
    }

    private static int redisPort() {
        return SharedInfra.get().redisPort();
    }

    private static String user() {
        return "user-" + UUID.randomUUID();
    }

    private static String ip() {
        return "ip-" + UUID.randomUUID();
    }
}
