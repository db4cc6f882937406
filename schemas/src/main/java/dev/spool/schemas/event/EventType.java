package dev.spool.schemas.event;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every event type with its CloudEvents type, its JSON Schema file and the record it decodes into.
 * The version suffix in the CloudEvents type changes only for incompatible changes; compatible additions keep it.
 */
public enum EventType {
    ACCEPTED("accepted", JobAccepted.class, true),
    STARTED("started", JobStarted.class, false),
    PROGRESS("progress", JobProgress.class, false),
    RETRY_SCHEDULED("retry-scheduled", JobRetryScheduled.class, true),
    COMPLETED("completed", JobCompleted.class, true),
    FAILED("failed", JobFailed.class, true),
    DEAD_LETTERED("dead-lettered", JobDeadLettered.class, true),
    REPLAYED("replayed", JobReplayed.class, true),
    DELETED("deleted", JobDeleted.class, true);

    /** Version of every type's current schema. */
    public static final int VERSION = 1;

    private static final String TYPE_PREFIX = "dev.spool.job.";
    private static final String SCHEMA_BASE = "https://spool.dev/schemas/";

    private final String shortName;
    private final Class<? extends JobEvent> dataClass;
    private final boolean fact;

    EventType(String shortName, Class<? extends JobEvent> dataClass, boolean fact) {
        this.shortName = shortName;
        this.dataClass = dataClass;
        this.fact = fact;
    }

    /** The CloudEvents {@code type}, e.g. {@code dev.spool.job.completed.v1}. */
    public String ceType() {
        return TYPE_PREFIX + shortName + ".v" + VERSION;
    }

    /** The JSON Schema file name inside the {@code schemas/} resource folder. */
    public String schemaFile() {
        return "job-" + shortName + ".v" + VERSION + ".schema.json";
    }

    /** The CloudEvents {@code dataschema}: the schema's {@code $id}. */
    public String dataSchema() {
        return SCHEMA_BASE + schemaFile();
    }

    public Class<? extends JobEvent> dataClass() {
        return dataClass;
    }

    /** Facts are committed on {@code spool.job-events}; the rest are live signals on {@code spool.job-progress}. */
    public boolean isFact() {
        return fact;
    }

    public String shortName() {
        return shortName;
    }

    /**
     * Finds the type for a CloudEvents type of any version. A newer version of a known type still maps to it:
     * compatible versions only add optional fields, which the decoder ignores.
     */
    public static Optional<EventType> fromCeType(String ceType) {
        if (ceType == null || !ceType.startsWith(TYPE_PREFIX)) {
            return Optional.empty();
        }
        String rest = ceType.substring(TYPE_PREFIX.length());
        int versionAt = rest.lastIndexOf(".v");
        String name = versionAt < 0 ? rest : rest.substring(0, versionAt);
        return Arrays.stream(values()).filter(t -> t.shortName.equals(name)).findFirst();
    }
}
