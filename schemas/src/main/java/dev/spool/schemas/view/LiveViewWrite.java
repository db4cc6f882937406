package dev.spool.schemas.view;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One write of a job's live view and feed in Redis (see {@link ViewStorage}), as a call of one Lua script
 * ({@link #SCRIPT}): it appends each change to the job's feed and stores the last one's view as the job's view, gives
 * both the time to live, and wakes the feed's readers; all of it only if the stored view is still {@code expected}.
 * The projection replaces views with it; ingest creates the first one ({@code expected} none) when it accepts a job.
 * Every writer of live views goes through this script, so that none can break the view and feed's atomicity.
 *
 * @param jobId the job
 * @param expected the view's JSON the changes were folded from; {@code null} when the view must not exist yet
 * @param ttl how long the view and feed live after this change
 * @param changes at least one, in order
 */
public record LiveViewWrite(String jobId, String expected, Duration ttl, List<FeedEntry> changes) {

    /** The script's source; it returns 1 when it wrote, 0 when the stored view was not {@code expected}. */
    public static final String SCRIPT = RedisScriptSource.read("replace-view.lua");

    public LiveViewWrite {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(ttl, "ttl");
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("no change to write for job " + jobId);
        }
        changes = List.copyOf(changes);
    }

    /** The script's keys: the view's and the feed's. */
    public List<String> keys() {
        return List.of(ViewStorage.redisKey(jobId), ViewStorage.feedKey(jobId));
    }

    /** The script's arguments, in the order it reads them. */
    public List<String> args() {
        List<String> args = new ArrayList<>(List.of(expected == null ? "" : expected, Long.toString(ttl.toMillis()),
                Integer.toString(ViewStorage.FEED_MAX_LENGTH), ViewStorage.FEED_CHANNEL, jobId));
        for (FeedEntry change : changes) {
            args.add(change.kind().wireName());
            args.add(change.json());
        }
        return args;
    }

    /**
     * One change of a job's view as its feed shows it.
     *
     * @param kind what the change is
     * @param json the view's JSON after it
     */
    public record FeedEntry(FeedKind kind, String json) {

        public FeedEntry {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(json, "json");
        }
    }
}
