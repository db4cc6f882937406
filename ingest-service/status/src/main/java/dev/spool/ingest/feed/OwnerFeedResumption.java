package dev.spool.ingest.feed;

import dev.spool.schemas.view.ViewStorage;
import java.time.Instant;

/**
 * Whether an owner's feed still holds every entry after a client's {@code Last-Event-ID}. Entries leave a feed in two
 * ways, and each leaves a trace a resume can check without a record of what was removed:
 * <ul>
 * <li>trimming: {@code MAXLEN ~} never trims a stream below its cap, so a feed shorter than the cap has lost nothing
 * to it, and one whose oldest entry is not after the last one seen still holds all that came later;</li>
 * <li>expiry: the feed lives {@link ViewStorage#OWNER_FEED_TTL} after its last entry, so an entry written after the
 * last one seen keeps the feed until at least that long after it; before then, nothing after it can have expired.</li>
 * </ul>
 * Either check may answer "lost" for a feed that lost nothing (a client idle for a week, a feed created after its
 * position), never the other way round.
 */
final class OwnerFeedResumption {

    private OwnerFeedResumption() {
    }

    /** Whether entries after {@code lastEventId} may be gone from a feed in {@code state} at {@code now}. */
    static boolean mayHaveLost(String lastEventId, OwnerFeedState state, Instant now) {
        if (FeedEntryIds.millis(lastEventId) <= now.toEpochMilli() - ViewStorage.OWNER_FEED_TTL.toMillis()) {
            return true;
        }
        return state.length() >= ViewStorage.OWNER_FEED_MAX_LENGTH && state.oldestId() != null
                && FeedEntryIds.isAfter(state.oldestId(), lastEventId);
    }
}
