package dev.spool.ingest.servicelevel;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the service level that operators set through {@code /api/v1/admin/service-level}.
 *
 * @param timeout how long a change waits for Kafka to acknowledge it and for this instance to read it back (then
 *     the answer is 503 {@code service_level_unavailable}), and how long start-up waits to read the topic to its end
 *     before the instance takes requests with {@code full}
 */
@Validated
@ConfigurationProperties("spool.ingest.service-level")
public record ServiceLevelProperties(@NotNull @DefaultValue("10s") Duration timeout) {

    @AssertTrue(message = "spool.ingest.service-level.timeout must be positive")
    public boolean isPositive() {
        return timeout == null || !timeout.isNegative() && !timeout.isZero();
    }
}
