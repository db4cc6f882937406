package dev.spool.schemas.view;

import java.time.Duration;

/**
 * Where job views are stored: written by the projection, read by ingest. Ingest also writes each job's first live view
 * ({@link JobView#accepted}, queued) and feed entry into Redis, where none exists yet, before it answers the upload;
 * every live write goes through one script ({@link LiveViewWrite}). MongoDB's views have the projection as their only
 * writer.
 *
 * <p>MongoDB document shape in {@value #JOBS_COLLECTION}: {@code _id} = jobId, {@code ownerId},
 * {@code status} (wire name), {@code createdAt} (BSON date), {@code version} (long, the view's version; writes
 * are guarded on it) and {@code view} (the {@link JobView} as an embedded document, as {@code EventJson} writes
 * it). Redis: the view's JSON under {@link #redisKey(String)}, expiring 24 hours after the job's last change (7 days
 * while MongoDB writes are failing, when Redis holds the only current copy). Both keys of a job share the hash tag
 * {@code {jobId}}, so one script can update them together on a Redis Cluster too.
 *
 * <p>Live feed: every change of a job's view appends one entry to the Redis Stream {@link #feedKey(String)}
 * (capped near {@value #FEED_MAX_LENGTH} entries, expiring with the view) with the fields {@value #FEED_FIELD_KIND}
 * (a {@link FeedKind} wire name) and {@value #FEED_FIELD_VIEW} (the view's JSON after the change), in the same atomic
 * step as the view itself; then the job id is published on the channel {@value #FEED_CHANNEL}. Readers replay a
 * feed from a stream entry id, which is also the id of the server-sent event, and use the channel only as a
 * wake-up, so a missed message loses nothing.
 *
 * <p>Owner feed: the same changes, for all of one owner's jobs, in the Redis Stream {@link #ownerFeedKey(String)}
 * (capped near {@value #OWNER_FEED_MAX_LENGTH} entries, expiring {@link #OWNER_FEED_TTL} after the owner's last change)
 * with the same two fields, appended by {@link OwnerFeedAppend} <em>before</em> the job's own write; then the owner id
 * is published on {@value #OWNER_FEED_CHANNEL}. The job's and the owner's keys live in different hash slots, so they
 * cannot be written by one script on a Redis Cluster; writing the owner's first makes its entries at least once
 * (a retried or lost write may add one again, never leave one out), and every entry carries the whole view with its
 * {@code version}, so a reader keeps, per job, the view with the highest version.
 */
public final class ViewStorage {

    public static final String MONGO_DATABASE = "spool";
    public static final String JOBS_COLLECTION = "jobs";
    public static final String FIELD_OWNER = "ownerId";
    public static final String FIELD_STATUS = "status";
    public static final String FIELD_CREATED_AT = "createdAt";
    public static final String FIELD_VERSION = "version";
    public static final String FIELD_VIEW = "view";

    /** Pub/sub channel on which the job id is published after each feed entry. */
    public static final String FEED_CHANNEL = "spool:job-feed";
    /** Approximate cap of a feed's entries; older ones are trimmed. */
    public static final int FEED_MAX_LENGTH = 500;
    /** Feed entry field: what kind of change this is. */
    public static final String FEED_FIELD_KIND = "kind";
    /** Feed entry field: the view's JSON after the change. */
    public static final String FEED_FIELD_VIEW = "view";

    /** Pub/sub channel on which the owner id is published after each owner feed append. */
    public static final String OWNER_FEED_CHANNEL = "spool:owner-feed";
    /** Approximate cap of an owner feed's entries; older ones are trimmed (trimming never goes below it). */
    public static final int OWNER_FEED_MAX_LENGTH = 1000;
    /** How long an owner feed lives after the owner's last change. */
    public static final Duration OWNER_FEED_TTL = Duration.ofDays(7);

    private static final String REDIS_VIEW_PREFIX = "spool:job:";
    private static final String REDIS_OWNER_PREFIX = "spool:owner:";

    private ViewStorage() {
    }

    /** The Redis key of a job's view. */
    public static String redisKey(String jobId) {
        return REDIS_VIEW_PREFIX + "{" + jobId + "}:view";
    }

    /** The Redis Stream key of a job's live feed. */
    public static String feedKey(String jobId) {
        return REDIS_VIEW_PREFIX + "{" + jobId + "}:feed";
    }

    /** The Redis Stream key of an owner's live feed: every change of any of the owner's jobs. */
    public static String ownerFeedKey(String ownerId) {
        return REDIS_OWNER_PREFIX + "{" + ownerId + "}:feed";
    }
}
