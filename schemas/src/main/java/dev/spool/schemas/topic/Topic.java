package dev.spool.schemas.topic;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One topic of the contract: its name and settings, and the one way its keys and values are written and read.
 * Producers and consumers take their serializers from here rather than choosing them where they send or read, so
 * that no topic is written in one format and read in another. {@link Topics} holds every topic.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Topic<K, V> {

    private final TopicSpec spec;
    private final Serde<K> keys;
    private final Function<String, Serializer<V>> valueWriter;
    private final Supplier<Deserializer<V>> valueReader;

    Topic(TopicSpec spec, Serde<K> keys, Function<String, Serializer<V>> valueWriter,
            Supplier<Deserializer<V>> valueReader) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.valueWriter = Objects.requireNonNull(valueWriter, "valueWriter");
        this.valueReader = Objects.requireNonNull(valueReader, "valueReader");
    }

    public String name() {
        return spec.name();
    }

    /** Partitions, retention and cleanup, for creating the topic. */
    public TopicSpec spec() {
        return spec;
    }

    /** Both directions of the key, for Kafka Streams. */
    public Serde<K> keySerde() {
        return keys;
    }

    public Serializer<K> keySerializer() {
        return keys.serializer();
    }

    public Deserializer<K> keyDeserializer() {
        return keys.deserializer();
    }

    /**
     * A serializer of this topic's values.
     *
     * @param source who writes, as a path such as {@code /ingest}: the CloudEvents {@code source} of each event on an
     *     event topic; topics whose values are not events do not record it
     */
    public Serializer<V> valueSerializer(String source) {
        return valueWriter.apply(source);
    }

    public Deserializer<V> valueDeserializer() {
        return valueReader.get();
    }

    /** Both directions, for Kafka Streams. */
    public Serde<V> valueSerde(String source) {
        return Serdes.serdeFrom(valueSerializer(source), valueDeserializer());
    }

    /** A record for this topic, partitioned by its key. */
    public ProducerRecord<K, V> record(K key, V value) {
        return new ProducerRecord<>(name(), key, value);
    }

    /** A record for this topic with headers of its own, partitioned by its key. */
    public ProducerRecord<K, V> record(K key, V value, Iterable<Header> headers) {
        return new ProducerRecord<>(name(), null, key, value, headers);
    }

    @Override
    public String toString() {
        return name();
    }
}
