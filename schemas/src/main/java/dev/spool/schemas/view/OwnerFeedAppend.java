package dev.spool.schemas.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One append to an owner's live feed in Redis (see {@link ViewStorage}), as a call of one Lua script
 * ({@link #SCRIPT}): it appends each change to the owner's feed, renews the feed's time to live and wakes its readers.
 * Every writer of a job's live view (the projection, and ingest for a job's first view) makes this call before the
 * view's own write ({@link LiveViewWrite}), so that no change of a stored view is missing from its owner's feed.
 *
 * @param ownerId whose jobs changed
 * @param changes at least one, in order; each view belongs to {@code ownerId}
 */
public record OwnerFeedAppend(String ownerId, List<LiveViewWrite.FeedEntry> changes) {

    /** The script's source; it returns 1. */
    public static final String SCRIPT = RedisScriptSource.read("append-owner-feed.lua");

    public OwnerFeedAppend {
        Objects.requireNonNull(ownerId, "ownerId");
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("no change to append for owner " + ownerId);
        }
        changes = List.copyOf(changes);
    }

    /** The script's keys: the owner's feed. */
    public List<String> keys() {
        return List.of(ViewStorage.ownerFeedKey(ownerId));
    }

    /** The script's arguments, in the order it reads them. */
    public List<String> args() {
        List<String> args = new ArrayList<>(List.of(Integer.toString(ViewStorage.OWNER_FEED_MAX_LENGTH),
                Long.toString(ViewStorage.OWNER_FEED_TTL.toMillis()), ViewStorage.OWNER_FEED_CHANNEL, ownerId));
        for (LiveViewWrite.FeedEntry change : changes) {
            args.add(change.kind().wireName());
            args.add(change.json());
        }
        return args;
    }
}
