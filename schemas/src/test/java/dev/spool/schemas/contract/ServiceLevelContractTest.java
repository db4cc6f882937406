package dev.spool.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.servicelevel.ServiceLevel;
import dev.spool.schemas.servicelevel.ServiceLevelSetting;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The service-level record is contract between ingest instances: the golden sample, its schema and the record agree. */
class ServiceLevelContractTest {

    private static final String SCHEMA = "/schemas/service-level.v1.schema.json";

    @Test
    void goldenSettingValidatesDecodesAndReencodesWithoutLosingAField() {
        JsonNode sample = SchemaFiles.read("/samples/v1/service-level.json");
        JsonNode schema = SchemaFiles.read(SCHEMA);

        ServiceLevelSetting setting = EventJson.mapper().readValue(SchemaFiles.bytes(sample), ServiceLevelSetting.class);
        JsonNode reencoded = SchemaFiles.parse(EventJson.mapper().writeValueAsBytes(setting));

        assertThat(SchemaFiles.violations(schema, sample)).isEmpty();
        assertThat(reencoded).isEqualTo(sample);
        assertThat(setting.level()).isEqualTo(ServiceLevel.MAINTENANCE);
        assertThat(ServiceLevelSetting.DATA_SCHEMA).isEqualTo(schema.path("$id").asText());
    }

    @Test
    void aSettingWithoutAMessageLeavesItOutAndStillValidates() {
        ServiceLevelSetting full = new ServiceLevelSetting(ServiceLevel.FULL, null, 300,
                Instant.parse("2026-12-08T14:00:00Z"), "ops-alice");

        JsonNode json = SchemaFiles.parse(EventJson.mapper().writeValueAsBytes(full));

        assertThat(SchemaFiles.violations(SchemaFiles.read(SCHEMA), json)).isEmpty();
        assertThat(json.has("message")).isFalse();
        assertThat(json.path("level").asText()).isEqualTo("full");
    }

    @Test
    void everyLevelOfTheEnumIsOneOfTheSchemasAndTheGaugeCountsUpFromFull() {
        JsonNode levels = SchemaFiles.read(SCHEMA).path("properties").path("level").path("enum");

        assertThat(levels).extracting(JsonNode::asText)
                .containsExactly(ServiceLevel.FULL.wireName(), ServiceLevel.DEGRADED.wireName(),
                        ServiceLevel.MAINTENANCE.wireName());
        assertThat(ServiceLevel.FULL.gaugeValue()).isZero();
        assertThat(ServiceLevel.DEGRADED.gaugeValue()).isEqualTo(1);
        assertThat(ServiceLevel.MAINTENANCE.gaugeValue()).isEqualTo(2);
        assertThat(ServiceLevel.fromWireName(" Maintenance ")).isEqualTo(ServiceLevel.MAINTENANCE);
        assertThatThrownBy(() -> ServiceLevel.fromWireName("closed")).isInstanceOf(IllegalArgumentException.class);
    }
}
