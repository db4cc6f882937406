package dev.spool.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeedEntryIdsTest {

    @Test
    void ordersByTimeThenSequenceAsNumbersNotText() {
        assertThat(FeedEntryIds.isAfter("1700000000001-0", "1700000000000-5")).isTrue();
        assertThat(FeedEntryIds.isAfter("1700000000000-10", "1700000000000-9")).isTrue();
        assertThat(FeedEntryIds.isAfter("999-0", "1000-0")).isFalse();
        assertThat(FeedEntryIds.isAfter("1000-0", "1000-0")).isFalse();
        assertThat(FeedEntryIds.isAfter("1-0", "0-0")).isTrue();
    }

    @Test
    void onlyIdsThatCompareWithoutOverflowAreEntryIds() {
        assertThat(JobFeedReader.isEntryId("1700000000000-0")).isTrue();
        assertThat(JobFeedReader.isEntryId("99999999999999999999-0")).isFalse();
        assertThat(JobFeedReader.isEntryId("1700000000000")).isFalse();
        assertThat(JobFeedReader.isEntryId(null)).isFalse();
    }
}
