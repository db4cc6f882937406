package dev.spool.schemas.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The step a running job is in; live progress names it.
 * On the wire it is the lower-case name, as listed in the JSON Schemas.
 */
public enum Stage {
    DOWNLOADING,
    DETECTING,
    EXTRACTING,
    STORING;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Stage fromWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
