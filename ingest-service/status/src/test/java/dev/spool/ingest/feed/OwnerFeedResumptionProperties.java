package dev.spool.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.schemas.view.ViewStorage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A resume is told "nothing lost" only when the owner's feed still holds every entry after the client's
 * {@code Last-Event-ID}. The feed is modelled as Redis keeps it: ids that grow, and approximate trimming that removes
 * the oldest entries but never takes the feed below its cap.
 */
class OwnerFeedResumptionProperties {

    private static final int CAP = ViewStorage.OWNER_FEED_MAX_LENGTH;
    private static final long START = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    private static final Instant NOW = Instant.ofEpochMilli(START).plusSeconds(3600);

    @Property(tries = 200)
    void aResumeThatIsNotResetMissesNothing(@ForAll @IntRange(min = 0, max = 3 * CAP) int appended,
            @ForAll @IntRange(min = 0, max = 3 * CAP) int seen, @ForAll @IntRange(min = 0, max = 100) int slack) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < appended; i++) {
            all.add((START + i) + "-0");
        }
        // MAXLEN ~ removes whole nodes, leaving between the cap and a node's worth more
        int kept = appended <= CAP ? appended : Math.min(appended, CAP + slack);
        List<String> stored = all.subList(appended - kept, appended);
        String lastEventId = (START + Math.min(seen, appended) - 1) + "-0";
        OwnerFeedState state = new OwnerFeedState(stored.size(), stored.isEmpty() ? null : stored.get(0));

        if (!OwnerFeedResumption.mayHaveLost(lastEventId, state, NOW)) {
            List<String> after = all.stream().filter(id -> FeedEntryIds.isAfter(id, lastEventId)).toList();
            assertThat(stored).containsAll(after);
        }
    }

    @Property(tries = 200)
    void aFeedThatWasNeverTrimmedIsResumedWithoutAReset(@ForAll @IntRange(min = 0, max = CAP - 1) int length,
            @ForAll @IntRange(min = 0, max = 3600) int secondsAgo) {
        String lastEventId = NOW.minusSeconds(secondsAgo).toEpochMilli() + "-3";
        OwnerFeedState state = new OwnerFeedState(length, length == 0 ? null : START + "-0");

        assertThat(OwnerFeedResumption.mayHaveLost(lastEventId, state, NOW)).isFalse();
    }

    @Test
    void anIdFromBeforeTheFeedsTimeToLiveIsResetBecauseTheFeedMayHaveExpiredSince() {
        OwnerFeedState young = new OwnerFeedState(3, NOW.toEpochMilli() + "-0");
        String lastDay = NOW.minus(ViewStorage.OWNER_FEED_TTL).plusSeconds(1).toEpochMilli() + "-0";
        String weekAgo = NOW.minus(ViewStorage.OWNER_FEED_TTL).toEpochMilli() + "-0";

        assertThat(OwnerFeedResumption.mayHaveLost(lastDay, young, NOW)).isFalse();
        assertThat(OwnerFeedResumption.mayHaveLost(weekAgo, young, NOW)).isTrue();
    }
}
