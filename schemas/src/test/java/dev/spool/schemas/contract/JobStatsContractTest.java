package dev.spool.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.schemas.analytics.JobStats;
import dev.spool.schemas.envelope.EventJson;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The analytics record is contract for downstream consumers: the golden sample, its schema and the record agree. */
class JobStatsContractTest {

    @Test
    void goldenStatsValidateDecodeAndReencodeWithoutLosingAField() {
        JsonNode sample = SchemaFiles.read("/samples/v1/job-stats.json");
        JsonNode schema = SchemaFiles.read("/schemas/job-stats.v1.schema.json");

        JobStats stats = EventJson.mapper().readValue(SchemaFiles.bytes(sample), JobStats.class);
        JsonNode reencoded = SchemaFiles.parse(EventJson.mapper().writeValueAsBytes(stats));

        assertThat(SchemaFiles.violations(schema, sample)).isEmpty();
        assertThat(reencoded).isEqualTo(sample);
        assertThat(stats.byOutcome()).containsEntry("completed", 2L);
        assertThat(JobStats.DATA_SCHEMA).isEqualTo(schema.path("$id").asText());
    }

    @Test
    void aWindowWithoutCompletedJobsHasNoPercentilesAndStillValidates() {
        JobStats empty = new JobStats(Instant.parse("2026-11-23T09:00:00Z"), Instant.parse("2026-11-23T09:01:00Z"), 1,
                Map.of("failed", 1L), Map.of("application/pdf", 1L), Map.of("low", 1L), 10,
                new JobStats.Latency(0, null, null, null));

        JsonNode json = SchemaFiles.parse(EventJson.mapper().writeValueAsBytes(empty));

        assertThat(SchemaFiles.violations(SchemaFiles.read("/schemas/job-stats.v1.schema.json"), json)).isEmpty();
        assertThat(json.path("processingMillis").path("count").asLong()).isZero();
    }
}
