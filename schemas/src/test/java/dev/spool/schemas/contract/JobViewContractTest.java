package dev.spool.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.schemas.envelope.CloudEventHeaders;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.view.JobView;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
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

    @Test
    void jobStateRecordsCarryTheViewJsonAndNameItsSchema() {
        JsonNode sample = SchemaFiles.read("/samples/v1/job-view.json");
        JobView view = EventJson.mapper().readValue(SchemaFiles.bytes(sample), JobView.class);
        RecordHeaders headers = new RecordHeaders();

        byte[] value = Topics.JOB_STATE.valueSerializer("/test").serialize(Topics.JOB_STATE.name(), headers, view);

        assertThat(SchemaFiles.parse(value)).isEqualTo(sample);
        assertThat(Topics.JOB_STATE.valueDeserializer().deserialize(Topics.JOB_STATE.name(), value)).isEqualTo(view);
        assertThat(Topics.JOB_STATE.valueDeserializer().deserialize(Topics.JOB_STATE.name(), null)).isNull();
        assertThat(header(headers, CloudEventHeaders.CONTENT_TYPE)).isEqualTo("application/json");
        String schema = header(headers, CloudEventHeaders.DATA_SCHEMA);
        assertThat(schema).endsWith("/job-view.v1.schema.json");
        assertThat(SchemaFiles.read("/schemas/" + schema.substring(schema.lastIndexOf('/') + 1))).isNotNull();
    }

    private static String header(RecordHeaders headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
