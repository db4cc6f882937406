package dev.spool.ingest.ratelimit;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The upload rate limiter: its own Lettuce client on the Redis that Spring Data uses (Bucket4j needs a
 * {@code byte[]} connection, which Spring's connection factory does not hand out), the limiter and its web filter.
 * Only a standalone Redis is supported; sentinel, cluster and TLS settings of {@code spring.data.redis} are not read.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "spool.ratelimit.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitConfiguration {

    /** A bucket's key outlives its refill by this much, so that an idle caller's key leaves Redis soon after. */
    private static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(10);

    @Bean(destroyMethod = "shutdown")
    RedisClient rateLimitRedisClient(ObjectProvider<ClientResources> resources, RateLimitProperties properties) {
        ClientResources shared = resources.getIfAvailable();
        RedisClient client = shared == null ? RedisClient.create() : RedisClient.create(shared);
        client.setOptions(clientOptions(properties.redisTimeout()));
        return client;
    }

    @Bean(destroyMethod = "close")
    RateLimiter rateLimiter(RedisClient rateLimitRedisClient, DataRedisConnectionDetails redis,
            RateLimitProperties properties, MeterRegistry meters) {
        return new RateLimiter(rateLimitRedisClient, redisUri(redis, properties.redisTimeout()), properties, meters);
    }

    @Bean
    UploadRateLimitFilter uploadRateLimitFilter(RateLimiter rateLimiter, RateLimitProperties properties) {
        return new UploadRateLimitFilter(rateLimiter, properties.trustForwardedFor());
    }

    /**
     * Options that keep a Redis outage from stalling uploads: commands fail at once while the connection is down
     * instead of queueing until it is back, and no command or connection attempt waits longer than {@code timeout}.
     */
    public static ClientOptions clientOptions(Duration timeout) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .build();
    }

    /** The address of the standalone Redis that Spring Data is configured for. */
    public static RedisURI redisUri(DataRedisConnectionDetails redis, Duration timeout) {
        DataRedisConnectionDetails.Standalone standalone = redis.getStandalone();
        RedisURI.Builder uri = RedisURI.Builder.redis(standalone.getHost(), standalone.getPort())
                .withDatabase(standalone.getDatabase())
                .withTimeout(timeout);
        String password = redis.getPassword();
        if (password != null && redis.getUsername() != null) {
            uri.withAuthentication(redis.getUsername(), password);
        } else if (password != null) {
            uri.withPassword(password.toCharArray());
        }
        return uri.build();
    }

    /** Bucket4j's asynchronous buckets on {@code connection}, whose keys expire once their bucket would be full. */
    static AsyncProxyManager<byte[]> proxyManager(StatefulRedisConnection<byte[], byte[]> connection, Duration timeout) {
        return Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
                .requestTimeout(timeout)
                .build()
                .asAsync();
    }
}
