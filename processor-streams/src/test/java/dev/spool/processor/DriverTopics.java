package dev.spool.processor;

import dev.spool.schemas.topic.Topic;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The contract's topics on a {@link TopologyTestDriver}, written and read with their own serializers. */
public final class DriverTopics {

    private DriverTopics() {
    }

    /** Writes to {@code topic} as {@code source} would. */
    public static <K, V> TestInputTopic<K, V> input(TopologyTestDriver driver, Topic<K, V> topic, String source) {
        return driver.createInputTopic(topic.name(), topic.keySerializer(), topic.valueSerializer(source));
    }

    /** Writes any bytes to {@code topic}, such as a record that does not decode. */
    public static <K> TestInputTopic<K, byte[]> rawInput(TopologyTestDriver driver, Topic<K, ?> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerializer(), new ByteArraySerializer());
    }

    public static <K, V> TestOutputTopic<K, V> output(TopologyTestDriver driver, Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keyDeserializer(), topic.valueDeserializer());
    }

    /** Reads {@code topic}'s values as the bytes written, for checks of the wire format itself. */
    public static <K> TestOutputTopic<K, byte[]> rawOutput(TopologyTestDriver driver, Topic<K, ?> topic) {
        return driver.createOutputTopic(topic.name(), topic.keyDeserializer(), new ByteArrayDeserializer());
    }
}
