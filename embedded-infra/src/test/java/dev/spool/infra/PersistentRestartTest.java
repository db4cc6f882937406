package dev.spool.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.spool.infra.redis.RedisProcess;
import java.nio.file.Files;
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
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the launcher promises: a second start on the same folder still has the earlier data. */
class PersistentRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void kafkaAndMongoKeepTheirDataAcrossARestart() throws Exception {
        InfraSettings settings = new InfraSettings(dataDir, 0, 0, 0, 0, 0, true, InfraSettings.DEFAULT_BUCKETS);
        try (SpoolInfra first = SpoolInfra.start(settings)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", first.kafkaBootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", first.kafkaBootstrapServers()), new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "survives")).get();
            }
            try (MongoClient mongo = MongoClients.create(first.mongoUri())) {
                mongo.getDatabase("spool").getCollection("jobs").insertOne(new Document("_id", "job-1"));
            }
        }

        try (SpoolInfra second = SpoolInfra.start(settings)) {
            assertThat(read(second.kafkaBootstrapServers(), "kept")).containsExactly("survives");
            try (MongoClient mongo = MongoClients.create(second.mongoUri())) {
                assertThat(mongo.getDatabase("spool").getCollection("jobs").countDocuments()).isEqualTo(1);
            }
        }
    }

    @Test
    void anOrphanedRedisServerIsEndedAtTheNextStart() throws Exception {
        Path redisDir = dataDir.resolve("redis");
        RedisProcess orphan = RedisProcess.start(redisDir, 0, false);
        ProcessHandle orphanHandle = ProcessHandle.of(orphan.pid()).orElseThrow();
        Files.writeString(redisDir.resolve("redis.pid"), Long.toString(orphan.pid()));

        try (RedisProcess next = RedisProcess.start(redisDir, 0, false)) {
            assertThat(orphanHandle.isAlive()).isFalse();
            assertThat(ProcessHandle.of(next.pid()).map(ProcessHandle::isAlive)).contains(true);
        }
    }

    private static List<String> read(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", "restart-test");
        props.put("auto.offset.reset", "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
