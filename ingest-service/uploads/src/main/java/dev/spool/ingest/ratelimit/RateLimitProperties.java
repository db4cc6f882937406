package dev.spool.ingest.ratelimit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Rate limits of uploads, kept in Redis so that every ingest instance counts against the same buckets. Each limit is
 * a token bucket: a caller may send a burst of up to {@code capacity} uploads at once, after which tokens come back
 * at {@code refillTokens} per {@code refillPeriod}.
 *
 * @param enabled whether uploads are limited at all; {@code false} creates neither the limiter nor its filter
 * @param perUser the bucket of each authenticated user (the token's {@code sub})
 * @param perIp the bucket of each client address, whoever is signed in from it
 * @param failOpen what to do when Redis cannot be asked in time: {@code true} lets the upload through and logs a
 *     warning at most every 30 seconds; {@code false} refuses it with 503 {@code rate_limit_unavailable}
 * @param redisTimeout how long one bucket check waits for Redis before it counts as unreachable
 * @param keyPrefix prefix of the Redis keys of the buckets
 * @param trustForwardedFor whether the client address is taken from {@code X-Forwarded-For}; only switch it on behind
 *     a proxy that sets the header, since clients can send any value
 */
@Validated
@ConfigurationProperties("spool.ratelimit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @Valid @NotNull @DefaultValue PerUser perUser,
        @Valid @NotNull @DefaultValue PerIp perIp,
        @DefaultValue("true") boolean failOpen,
        @NotNull @DefaultValue("500ms") Duration redisTimeout,
        @NotBlank @DefaultValue("spool:ratelimit:") String keyPrefix,
        @DefaultValue("false") boolean trustForwardedFor) {

    /** One token bucket. */
    public interface Limit {

        /** Most tokens the bucket holds, which is also the largest burst. */
        long capacity();

        /** Tokens added back per {@link #refillPeriod()}. */
        long refillTokens();

        /** Period over which {@link #refillTokens()} come back, spread evenly. */
        Duration refillPeriod();
    }

    /**
     * The bucket of one user.
     *
     * @param capacity most uploads at once (the burst)
     * @param refillTokens uploads that become possible again per {@code refillPeriod}
     * @param refillPeriod period of the refill
     */
    public record PerUser(
            @Positive @DefaultValue("60") long capacity,
            @Positive @DefaultValue("60") long refillTokens,
            @NotNull @DefaultValue("1m") Duration refillPeriod) implements Limit {
    }

    /**
     * The bucket of one client address.
     *
     * @param capacity most uploads at once (the burst)
     * @param refillTokens uploads that become possible again per {@code refillPeriod}
     * @param refillPeriod period of the refill
     */
    public record PerIp(
            @Positive @DefaultValue("120") long capacity,
            @Positive @DefaultValue("120") long refillTokens,
            @NotNull @DefaultValue("1m") Duration refillPeriod) implements Limit {
    }
}
