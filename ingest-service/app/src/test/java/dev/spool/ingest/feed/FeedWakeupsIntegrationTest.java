package dev.spool.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.testsupport.SharedInfra;
import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.test.StepVerifier;

/**
 * The feed channel's subscription against the real Redis: made with the first feed and kept after the last one
 * closes, so that the next feed's job never finishes while the subscription is being made again. Counted by what
 * Redis says a publish reached.
 */
class FeedWakeupsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private LettuceConnectionFactory connections;
    private ReactiveStringRedisTemplate redis;
    private FeedWakeups wakeups;

    @BeforeEach
    void connect() {
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(SharedInfra.get().redisHost(),
                SharedInfra.get().redisPort()));
        connections.afterPropertiesSet();
        connections.start();
        redis = new ReactiveStringRedisTemplate(connections);
        wakeups = new FeedWakeups(redis);
    }

    @AfterEach
    void close() {
        wakeups.destroy();
        connections.destroy();
    }

    @Test
    void theSubscriptionOutlivesTheLastFeedAndEndsWithTheInstance() {
        long others = publish("nobody-follows-this-job");

        StepVerifier.create(wakeups.of("job-1").take(1))
                .then(() -> Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> publish("job-1") == others + 1))
                .expectNext("job-1")
                .expectComplete()
                .verify(WAIT);

        assertThat(publish("job-2")).as("no feed is open, yet the subscription stays").isEqualTo(others + 1);
        wakeups.destroy();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> publish("job-3") == others);
    }

    @Test
    void aFeedOpenedLaterIsWokenWithoutSubscribingAgain() {
        long others = publish("nobody-follows-this-job");
        StepVerifier.create(wakeups.of("job-1").take(1))
                .then(() -> Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> publish("job-1") == others + 1))
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);

        StepVerifier.create(wakeups.of("job-2").take(1))
                .then(() -> publish("job-2"))
                .expectNext("job-2")
                .expectComplete()
                .verify(WAIT);
    }

    /** Publishes a wake-up for {@code jobId}; Redis answers how many subscribers it reached. */
    private long publish(String jobId) {
        return redis.convertAndSend(ViewStorage.FEED_CHANNEL, jobId).block(Duration.ofSeconds(5));
    }
}
