package dev.spool.schemas.view;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a job stands, as status reads and job views report it.
 * On the wire it is the lower-case name, as listed in the JSON Schemas.
 *
 * <p>{@link #DELETED} is the status of a tombstone only: a view that keeps nothing of its job but the id, so that
 * events read after the deletion cannot bring the job back. Status reads answer such a job as unknown.
 */
public enum JobStatus {
    QUEUED,
    PROCESSING,
    RETRYING,
    COMPLETED,
    FAILED,
    DELETED;

    /** Completed and failed are final until an operator replays the job; deleted is final for good. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == DELETED;
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
