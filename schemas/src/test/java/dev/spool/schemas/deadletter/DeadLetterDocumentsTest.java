package dev.spool.schemas.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.schemas.deadletter.DeadLetterStorage.Status;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * What the projection writes, ingest reads back field for field; the admin API's own fields are left to it when a job
 * is dead-lettered again.
 */
class DeadLetterDocumentsTest {

    private static final Instant FAILED_AT = Instant.parse("2026-12-06T10:15:30.123Z");

    private final DeadLetter dead = new DeadLetter("job-1", "job-1", "alice", "report.pdf", "normal",
            "storage_unavailable", "java.io.IOException", "S3 said 503", 3, FAILED_AT, "spool.jobs.retry-3", 2, 17,
            "{\"jobId\":\"job-1\"}", Status.DEAD, 0, null, null);

    @Test
    void aDeadLetteringReadsBackAsWritten() {
        Document stored = DeadLetterDocuments.deadLettered(dead).append(DeadLetterStorage.ID, dead.id())
                .append(DeadLetterStorage.REPLAY_COUNT, 0);

        assertThat(DeadLetterDocuments.read(stored)).isEqualTo(dead);
        assertThat(stored.get(DeadLetterStorage.FAILED_AT)).isEqualTo(Date.from(FAILED_AT));
        assertThat(stored.getString(DeadLetterStorage.STATUS)).isEqualTo("dead");
    }

    @Test
    void aDeadLetteringLeavesTheReplaysToTheAdminApi() {
        assertThat(DeadLetterDocuments.deadLettered(dead).keySet()).doesNotContain(DeadLetterStorage.ID,
                DeadLetterStorage.REPLAY_COUNT, DeadLetterStorage.LAST_REPLAYED_AT, DeadLetterStorage.LAST_REPLAYED_BY);
    }

    @Test
    void aReplayedEntryReadsWithItsReplays() {
        Instant replayedAt = FAILED_AT.plusSeconds(60);
        Document stored = DeadLetterDocuments.deadLettered(dead).append(DeadLetterStorage.ID, dead.id())
                .append(DeadLetterStorage.STATUS, "replayed")
                .append(DeadLetterStorage.REPLAY_COUNT, 2)
                .append(DeadLetterStorage.LAST_REPLAYED_AT, Date.from(replayedAt))
                .append(DeadLetterStorage.LAST_REPLAYED_BY, "ops");

        DeadLetter read = DeadLetterDocuments.read(stored);

        assertThat(read.status()).isEqualTo(Status.REPLAYED);
        assertThat(read.replayCount()).isEqualTo(2);
        assertThat(read.lastReplayedAt()).isEqualTo(replayedAt);
        assertThat(read.lastReplayedBy()).isEqualTo("ops");
    }

    @Test
    void anUndecodableRecordCannotBeReplayedAndAnUnknownIdDoesNotExist() {
        Document undecodable = new Document(DeadLetterStorage.ID, "undecodable-1-5")
                .append(DeadLetterStorage.STATUS, "dead").append(DeadLetterStorage.RECORD, "AAEC");

        assertThat(DeadLetterDocuments.read(undecodable).replayable()).isFalse();
        assertThat(DeadLetterDocuments.read(undecodable).exists()).isTrue();
        assertThat(DeadLetter.missing("nope").exists()).isFalse();
    }
}
