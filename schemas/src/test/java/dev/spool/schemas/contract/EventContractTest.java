package dev.spool.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spool.schemas.envelope.CloudEventHeaders;
import dev.spool.schemas.envelope.JobEventDeserializer;
import dev.spool.schemas.envelope.JobEventSerializer;
import dev.spool.schemas.event.EventType;
import dev.spool.schemas.event.JobEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The golden samples are events as version 1 consumers and producers wrote them. They must keep validating and
 * decoding: a field made required, a field removed or renamed, or an enum value dropped breaks them here first.
 */
class EventContractTest {

    private final AtomicInteger unknownHook = new AtomicInteger();
    private final JobEventDeserializer deserializer = new JobEventDeserializer(unknownHook::incrementAndGet);
    private final JobEventSerializer serializer = new JobEventSerializer("/spool/contract-test");

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaIdIsTheAdvertisedDataSchema(EventType type) {
        assertThat(SchemaFiles.schemaNode(type).path("$id").asText()).isEqualTo(type.dataSchema());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void goldenSampleValidatesAgainstItsSchema(EventType type) {
        assertThat(SchemaFiles.violations(type, SchemaFiles.sample(type))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everySampleFieldIsDeclaredInTheSchema(EventType type) {
        JsonNode properties = SchemaFiles.schemaNode(type).path("properties");
        assertThat(fieldNames(SchemaFiles.sample(type))).allSatisfy(field -> assertThat(properties.has(field))
                .as("%s declares %s", type.schemaFile(), field).isTrue());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void goldenSampleDecodesAndReencodesWithoutLosingAField(EventType type) {
        JsonNode sample = SchemaFiles.sample(type);
        JobEvent event = decode(type.ceType(), sample);

        assertThat(event).isInstanceOf(type.dataClass());
        RecordHeaders headers = new RecordHeaders();
        JsonNode reencoded = SchemaFiles.parse(serializer.serialize("t", headers, event));
        assertThat(reencoded).isEqualTo(sample);
        assertThat(SchemaFiles.violations(type, reencoded)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void serializerWritesEveryCloudEventsAttribute(EventType type) {
        RecordHeaders headers = new RecordHeaders();
        serializer.serialize("t", headers, decode(type.ceType(), SchemaFiles.sample(type)));

        assertThat(JobEventDeserializer.header(headers, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(JobEventDeserializer.header(headers, CloudEventHeaders.ID)).isNotBlank();
        assertThat(JobEventDeserializer.header(headers, CloudEventHeaders.SOURCE)).isEqualTo("/spool/contract-test");
        assertThat(JobEventDeserializer.header(headers, CloudEventHeaders.TYPE)).isEqualTo(type.ceType());
        assertThat(JobEventDeserializer.header(headers, CloudEventHeaders.TIME))
                .isEqualTo(SchemaFiles.sample(type).path("occurredAt").asText());
        assertThat(JobEventDeserializer.header(headers, CloudEventHeaders.SUBJECT))
                .isEqualTo(SchemaFiles.sample(type).path("jobId").asText());
        assertThat(JobEventDeserializer.header(headers, CloudEventHeaders.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(JobEventDeserializer.header(headers, CloudEventHeaders.DATA_SCHEMA)).isEqualTo(type.dataSchema());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void newerCompatibleVersionWithAnAddedFieldStillDecodes(EventType type) {
        ObjectNode newer = SchemaFiles.sample(type).deepCopy();
        newer.put("addedInV2", "ignored by v1 readers");

        JobEvent event = decode(type.ceType().replace(".v1", ".v2"), newer);

        assertThat(event).isEqualTo(decode(type.ceType(), SchemaFiles.sample(type)));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void unknownEventTypeIsSkippedNotFatal(EventType type) {
        long before = deserializer.skippedUnknown();

        JobEvent event = decode("dev.spool.job.teleported.v1", SchemaFiles.sample(type));

        assertThat(event).isNull();
        assertThat(deserializer.skippedUnknown()).isEqualTo(before + 1);
        assertThat(unknownHook).hasValue(1);
    }

    private JobEvent decode(String ceType, JsonNode json) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.TYPE, ceType.getBytes(StandardCharsets.UTF_8));
        return deserializer.deserialize("t", headers, SchemaFiles.bytes(json));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
