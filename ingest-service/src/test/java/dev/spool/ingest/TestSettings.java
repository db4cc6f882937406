package dev.spool.ingest;

import dev.spool.ingest.config.IngestProperties;
import dev.spool.ingest.resilience.DependencyGuard;
import dev.spool.ingest.resilience.ResilienceConfiguration;
import dev.spool.ingest.resilience.ResilienceProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/** The documented defaults of the typed settings, for tests that build components without a Spring context. */
public final class TestSettings {

    private TestSettings() {
    }

    /** Ingest settings at their defaults, with the given part size and status-store timeout. */
    public static IngestProperties ingest(DataSize partSize, Duration storeTimeout) {
        return ingest(partSize, storeTimeout, Duration.ofSeconds(30));
    }

    /** The same, with the given lease of an Idempotency-Key's claim. */
    public static IngestProperties ingest(DataSize partSize, Duration storeTimeout, Duration idempotencyLease) {
        return new IngestProperties(partSize, "", Duration.ofSeconds(15), storeTimeout, "test-",
                DataSize.ofMegabytes(100), DataSize.ofGigabytes(1), 10, 64, Duration.ofHours(24), idempotencyLease,
                Duration.ofMinutes(10));
    }

    /** Resilience settings at their defaults. */
    public static ResilienceProperties resilience() {
        return new ResilienceProperties(new ResilienceProperties.Retry(4, Duration.ofMillis(200), 2.0, Duration.ofSeconds(5)),
                new ResilienceProperties.Breaker(50, 20, 10, Duration.ofSeconds(15), 3),
                new ResilienceProperties.StorageTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMinutes(2)));
    }

    /** A guard with default breakers and retries, its metrics going nowhere. */
    public static DependencyGuard guard() {
        return ResilienceConfiguration.standalone(resilience(), new SimpleMeterRegistry());
    }
}
