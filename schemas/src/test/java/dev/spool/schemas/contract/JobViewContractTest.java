package dev.spool.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.view.JobView;
import org.junit.jupiter.api.Test;

/** The job view is contract too: it is the value of {@code spool.job-state} and the body of status reads. */
class JobViewContractTest {

    @Test
    void goldenViewValidatesDecodesAndReencodesWithoutLosingAField() {
        JsonNode sample = SchemaFiles.read("/samples/v1/job-view.json");
        JsonNode schema = SchemaFiles.read("/schemas/job-view.v1.schema.json");

        JobView view = EventJson.mapper().readValue(SchemaFiles.bytes(sample), JobView.class);
        JsonNode reencoded = SchemaFiles.parse(EventJson.mapper().writeValueAsBytes(view));

        assertThat(SchemaFiles.violations(schema, sample)).isEmpty();
        assertThat(reencoded).isEqualTo(sample);
        assertThat(SchemaFiles.violations(schema, reencoded)).isEmpty();
    }
}
