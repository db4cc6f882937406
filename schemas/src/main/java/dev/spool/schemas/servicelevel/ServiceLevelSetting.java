package dev.spool.schemas.servicelevel;

import java.time.Instant;
import java.util.Objects;

/**
 * One operator's setting of the service level, the value of {@code spool.service-level} (compacted, key
 * {@link #KEY}): every ingest instance follows the topic and applies the latest record. No record, or a tombstone,
 * is {@link #initial() full}.
 *
 * @param level the level
 * @param message what callers are told while the level refuses something, or {@code null} for the default sentence
 * @param retryAfterSeconds the {@code Retry-After} of refused uploads
 * @param since when the setting was made; {@code null} only for the initial {@code full}
 * @param setBy who made it (the admin's {@code sub}); {@code null} only for the initial {@code full}
 */
public record ServiceLevelSetting(ServiceLevel level, String message, long retryAfterSeconds, Instant since,
        String setBy) {

    /** The one key of the topic: the latest record under it is the level of every ingest instance. */
    public static final String KEY = "ingest";
    /** The JSON Schema of the value. */
    public static final String DATA_SCHEMA = "https://spool.dev/schemas/service-level.v1.schema.json";
    /** {@code Retry-After} of refused uploads when the operator does not say. */
    public static final long DEFAULT_RETRY_AFTER_SECONDS = 300;

    public ServiceLevelSetting {
        Objects.requireNonNull(level, "level");
        if (retryAfterSeconds < 1) {
            throw new IllegalArgumentException("retryAfterSeconds must be positive: " + retryAfterSeconds);
        }
    }

    /** The level before any operator set one: {@code full}. */
    public static ServiceLevelSetting initial() {
        return new ServiceLevelSetting(ServiceLevel.FULL, null, DEFAULT_RETRY_AFTER_SECONDS, null, null);
    }
}
