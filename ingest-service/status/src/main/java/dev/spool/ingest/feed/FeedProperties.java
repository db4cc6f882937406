package dev.spool.ingest.feed;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the live job feeds ({@code GET /api/v1/jobs/{id}/events}).
 *
 * @param heartbeat interval of the {@code heartbeat} events that keep idle connections (and proxies) open and let a
 *     browser tell a quiet job from a dead connection
 * @param pollInterval how often a feed also looks for new entries without a wake-up, in case one was missed while
 *     the wake-up channel was reconnecting
 * @param redisTimeout longest wait for one feed read
 */
@Validated
@ConfigurationProperties("spool.feed")
public record FeedProperties(
        @NotNull @DefaultValue("15s") Duration heartbeat,
        @NotNull @DefaultValue("5s") Duration pollInterval,
        @NotNull @DefaultValue("2s") Duration redisTimeout) {
}
