package dev.spool.schemas.envelope;

import dev.spool.schemas.event.EventType;
import dev.spool.schemas.event.JobEvent;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Reads a CloudEvent written by {@link JobEventSerializer}. The type comes from the {@code ce_type} header.
 *
 * <p>An event of a type this version does not know yields {@code null} (consumers skip it) and is counted and
 * logged, so that a producer upgraded ahead of its consumers never stops them. A newer version of a known type
 * decodes into the known record, ignoring the fields it added. Malformed JSON of a known type is a
 * {@link SerializationException}: that is a poison pill and goes through the consumer's error handling.
 */
public final class JobEventDeserializer implements Deserializer<JobEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(JobEventDeserializer.class);

    private final AtomicLong skippedUnknown = new AtomicLong();
    private final Runnable onSkippedUnknown;

    public JobEventDeserializer() {
        this(() -> { });
    }

    /** @param onSkippedUnknown called once per skipped event of an unknown type, e.g. a metric counter */
    public JobEventDeserializer(Runnable onSkippedUnknown) {
        this.onSkippedUnknown = onSkippedUnknown;
    }

    @Override
    public JobEvent deserialize(String topic, byte[] data) {
        throw new SerializationException("Spool events need their ce_type header; read them with headers");
    }

    @Override
    public JobEvent deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        String ceType = header(headers, CloudEventHeaders.TYPE);
        Optional<EventType> type = EventType.fromCeType(ceType);
        if (type.isEmpty()) {
            long skipped = skippedUnknown.incrementAndGet();
            onSkippedUnknown.run();
            LOG.warn("Skipping event of unknown type {} on {} ({} skipped so far)", ceType, topic, skipped);
            return null;
        }
        try {
            return EventJson.mapper().readValue(data, type.get().dataClass());
        } catch (JacksonException e) {
            throw new SerializationException("Malformed " + ceType + " event on " + topic, e);
        }
    }

    /** Events skipped because their type is unknown to this version. */
    public long skippedUnknown() {
        return skippedUnknown.get();
    }

    /** The UTF-8 value of the last header named {@code key}, or {@code null}. */
    public static String header(Headers headers, String key) {
        Header header = headers == null ? null : headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
