package dev.spool.ingest;

import dev.spool.ingest.idempotency.IdempotencyProperties;
import dev.spool.ingest.config.StatusProperties;
import dev.spool.ingest.storage.UploadStorageProperties;
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

    /** Status settings at their defaults (root-relative links), with the given store timeout. */
    public static StatusProperties status(Duration storeTimeout) {
        return new StatusProperties("", storeTimeout);
    }

    /** Upload storage settings at their defaults, with the given part size. */
    public static UploadStorageProperties uploadStorage(DataSize partSize) {
        return uploadStorage(partSize, DataSize.ofMegabytes(64));
    }

    /** Up to four parts of an upload in flight, within {@code parallelPartMemory} for the instance. */
    public static UploadStorageProperties uploadStorage(DataSize partSize, DataSize parallelPartMemory) {
        return new UploadStorageProperties(partSize, Duration.ofMinutes(10), 4, parallelPartMemory);
    }

    /** Idempotency settings at their defaults, with the given lease of a key's claim. */
    public static IdempotencyProperties idempotency(Duration lease) {
        return new IdempotencyProperties(Duration.ofHours(24), lease);
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
