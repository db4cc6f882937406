package dev.spool.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.infra.net.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A broker closed inside a JVM can be started again there, on the same folder and the same ports. */
class KafkaBrokerRestartTest {

    private static final String TOPIC = "restarted";

    @TempDir
    Path logDir;

    @Test
    @Timeout(60)
    void aBrokerRestartedInTheSameJvmKeepsItsRecordsAndAcceptsNewOnes() throws Exception {
        int port = FreePorts.resolve(0);
        int controllerPort = FreePorts.resolve(0);

        try (KafkaBroker first = KafkaBroker.start(logDir, port, controllerPort)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", first.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            produce(first.bootstrapServers(), "before");
        }

        try (KafkaBroker second = KafkaBroker.start(logDir, port, controllerPort)) {
            assertThat(second.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(read(second.bootstrapServers(), 1)).containsExactly("before");
            produce(second.bootstrapServers(), "after");
            assertThat(read(second.bootstrapServers(), 2)).containsExactly("before", "after");
        }
    }

    private static void produce(String bootstrap, String value) throws Exception {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "delivery.timeout.ms", 15_000,
                "request.timeout.ms", 10_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "k", value)).get();
        }
    }

    private static List<String> read(String bootstrap, int expected) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", "restart-" + expected);
        props.put("auto.offset.reset", "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
