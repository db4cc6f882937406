package dev.spool.ingest.resilience;

import java.util.Locale;

/** The dependencies the ingest service guards with a circuit breaker each. */
public enum Dependency {
    S3, KAFKA, REDIS, MONGODB;

    /** The breaker's name, as in logs and in the {@code name} tag of the breaker metrics. */
    public String breakerName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
