package dev.spool.processor.analytics;

import dev.spool.schemas.envelope.EventJson;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.databind.json.JsonMapper;

/** JSON for the analytics application's own values (state, repartitioning, output), with the contract's mapper. */
final class JsonSerde {

    private static final JsonMapper JSON = EventJson.mapper();

    private JsonSerde() {
    }

    static <T> Serde<T> of(Class<T> type) {
        Serializer<T> serializer = (topic, value) -> value == null ? null : JSON.writeValueAsBytes(value);
        Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : JSON.readValue(bytes, type);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
