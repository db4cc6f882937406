package dev.spool.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads Spool's topics the way a downstream consumer in any language would: plain kafka-clients, bytes, the
 * CloudEvents headers and the published JSON Schema files, and no Spool Java class.
 */
final class PlainEventReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();

    /** One CloudEvent as read off a topic. */
    record Event(String topic, String key, Map<String, String> headers, JsonNode data) {

        String type() {
            return headers.get("ce_type");
        }
    }

    private PlainEventReader() {
    }

    /** Reads the topics from the beginning until {@code done} holds for what was read about {@code subject}. */
    static List<Event> readUntil(String bootstrap, List<String> topics, String subject, Predicate<List<Event>> done,
            Duration timeout) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", "plain-reader-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        List<Event> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(events) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, String> headers = headers(record);
                    if (subject.equals(headers.get("ce_subject"))) {
                        events.add(new Event(record.topic(), record.key(), headers, parse(record.value())));
                    }
                }
            }
        }
        return events;
    }

    /** Violations of the event's data against the schema its {@code ce_dataschema} names; empty when valid. */
    static Set<String> violations(Event event) {
        String schemaUri = event.headers().get("ce_dataschema");
        String file = schemaUri.substring(schemaUri.lastIndexOf('/') + 1);
        try (InputStream in = PlainEventReader.class.getResourceAsStream("/schemas/" + file)) {
            if (in == null) {
                return Set.of("no schema file " + file + " for " + schemaUri);
            }
            return SCHEMAS.getSchema(JSON.readTree(in), CONFIG).validate(event.data()).stream()
                    .map(ValidationMessage::getMessage)
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
