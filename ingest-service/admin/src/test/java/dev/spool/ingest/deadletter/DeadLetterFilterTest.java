package dev.spool.ingest.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoClientSettings;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.schemas.deadletter.DeadLetterStorage;
import java.time.Instant;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.codecs.configuration.CodecRegistry;
import org.junit.jupiter.api.Test;

class DeadLetterFilterTest {

    private static final CodecRegistry CODECS = MongoClientSettings.getDefaultCodecRegistry();

    @Test
    void everyGivenFieldNarrowsTheSelectionAndBlanksLeaveItOpen() {
        DeadLetterFilter filter = DeadLetterFilter.parse("storage_unavailable", " ", "2026-11-23T08:00:00Z", null,
                "alice", "HIGH", "dead");

        assertThat(filter).isEqualTo(new DeadLetterFilter("storage_unavailable", null,
                Instant.parse("2026-11-23T08:00:00Z"), null, "alice", "high", DeadLetterStorage.Status.DEAD));
        BsonDocument query = filter.toBson().toBsonDocument(BsonDocument.class, CODECS);
        List<String> fields = query.getArray("$and").stream()
                .map(clause -> clause.asDocument().getFirstKey()).toList();
        assertThat(fields).containsExactly(DeadLetterStorage.ERROR_CODE, DeadLetterStorage.FAILED_AT,
                DeadLetterStorage.OWNER, DeadLetterStorage.TIER, DeadLetterStorage.STATUS);
        assertThat(DeadLetterFilter.parse(null, null, null, null, null, null, null).toBson()
                .toBsonDocument(BsonDocument.class, CODECS)).isEmpty();
    }

    @Test
    void badValuesAreMalformedRequestsThatSayWhatIsExpected() {
        for (String[] bad : new String[][] {{"yesterday", null, null}, {null, "gold", null}, {null, null, "lost"}}) {
            assertThatThrownBy(() -> DeadLetterFilter.parse(null, null, bad[0], null, null, bad[1], bad[2]))
                    .isInstanceOfSatisfying(SpoolProblem.class, problem -> {
                        assertThat(problem.code()).isEqualTo(ProblemCode.MALFORMED_REQUEST);
                        assertThat(problem.detail()).containsAnyOf("ISO-8601", "high, normal or low",
                                "dead, replayed or purged");
                    });
        }
    }
}
