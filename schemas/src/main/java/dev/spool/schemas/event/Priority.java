package dev.spool.schemas.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The processing tier of a job. Each tier has its own job topic ({@code Topics.jobs}) so that a backlog in a lower
 * tier never delays a higher one.
 */
public enum Priority {
    HIGH,
    NORMAL,
    LOW;

    /** Lower-case wire name, as used in JSON and query parameters. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Priority fromWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** True when this tier is the same as or below {@code other}: callers may downgrade, never upgrade. */
    public boolean isAtMost(Priority other) {
        return ordinal() >= other.ordinal();
    }
}
