package dev.spool.schemas.view;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a job stands, as status reads and job views report it.
 * On the wire it is the lower-case name, as listed in the JSON Schemas.
 */
public enum JobStatus {
    QUEUED,
    PROCESSING,
    RETRYING,
    COMPLETED,
    FAILED;

    /** Completed and failed are final until an operator replays the job. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static JobStatus fromWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
