package dev.spool.schemas.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why a job failed. Stable: clients and dashboards branch on these codes.
 * On the wire it is the lower-case name, as listed in the JSON Schemas.
 */
public enum ErrorCode {
    UNSUPPORTED_TYPE,
    ENCRYPTED,
    CORRUPT,
    TOO_LARGE_TO_EXTRACT,
    TIMEOUT,
    OBJECT_MISSING,
    STORAGE_UNAVAILABLE,
    INTERNAL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ErrorCode fromWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
