package dev.spool.schemas.servicelevel;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How much of the service an operator lets callers use: {@code full}, {@code degraded} (new low-tier uploads are
 * refused) or {@code maintenance} (every upload is refused). Reads, feeds and administration work in every level.
 */
public enum ServiceLevel {
    FULL,
    DEGRADED,
    MAINTENANCE;

    /** Lower-case wire name, as in JSON and the admin API. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The level named {@code value} (case-insensitive).
     *
     * @throws IllegalArgumentException for a name that is no level
     */
    @JsonCreator
    public static ServiceLevel fromWireName(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }

    /** The value of the {@code spool.service.level} gauge: 0 full, 1 degraded, 2 maintenance. */
    public int gaugeValue() {
        return ordinal();
    }
}
