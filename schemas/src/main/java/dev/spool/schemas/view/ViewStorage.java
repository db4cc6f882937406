package dev.spool.schemas.view;

/**
 * Where job views are stored, shared by the projection (the only writer) and ingest (a reader).
 *
 * <p>MongoDB document shape in {@value #JOBS_COLLECTION}: {@code _id} = jobId, {@code ownerId},
 * {@code status} (wire name), {@code createdAt} (BSON date), {@code version} (long, the view's version; writes
 * are guarded on it) and {@code view} (the {@link JobView} as an embedded document, as {@code EventJson} writes
 * it). Redis: the view's JSON under {@link #redisKey(String)}.
 */
public final class ViewStorage {

    public static final String MONGO_DATABASE = "spool";
    public static final String JOBS_COLLECTION = "jobs";
    public static final String FIELD_OWNER = "ownerId";
    public static final String FIELD_STATUS = "status";
    public static final String FIELD_CREATED_AT = "createdAt";
    public static final String FIELD_VERSION = "version";
    public static final String FIELD_VIEW = "view";

    private static final String REDIS_VIEW_PREFIX = "spool:job:";

    private ViewStorage() {
    }

    /** The Redis key of a job's view. */
    public static String redisKey(String jobId) {
        return REDIS_VIEW_PREFIX + jobId + ":view";
    }
}
