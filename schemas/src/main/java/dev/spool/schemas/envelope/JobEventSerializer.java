package dev.spool.schemas.envelope;

import dev.spool.schemas.event.EventType;
import dev.spool.schemas.event.JobEvent;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a {@link JobEvent} as a CloudEvent in Kafka binary mode: the JSON data as the value and the attributes
 * as {@code ce_*} headers. Each call mints a fresh {@code ce_id}; consumers deduplicate on it.
 */
public final class JobEventSerializer implements Serializer<JobEvent> {

    /** Kafka config key naming the CloudEvents {@code source} when the serializer is created by Kafka. */
    public static final String SOURCE_CONFIG = "spool.cloudevents.source";

    private String source;

    /** For Kafka's reflective construction; the source then comes from {@link #SOURCE_CONFIG}. */
    public JobEventSerializer() {
        this("/spool");
    }

    public JobEventSerializer(String source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object configured = configs.get(SOURCE_CONFIG);
        if (configured != null) {
            source = configured.toString();
        }
    }

    @Override
    public byte[] serialize(String topic, JobEvent event) {
        return event == null ? null : EventJson.mapper().writeValueAsBytes(event);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, JobEvent event) {
        if (event == null) {
            return null;
        }
        EventType type = event.type();
        put(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        put(headers, CloudEventHeaders.ID, UUID.randomUUID().toString());
        put(headers, CloudEventHeaders.SOURCE, source);
        put(headers, CloudEventHeaders.TYPE, type.ceType());
        put(headers, CloudEventHeaders.TIME, DateTimeFormatter.ISO_INSTANT.format(event.occurredAt()));
        put(headers, CloudEventHeaders.SUBJECT, event.jobId());
        put(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        put(headers, CloudEventHeaders.DATA_SCHEMA, type.dataSchema());
        return serialize(topic, event);
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
