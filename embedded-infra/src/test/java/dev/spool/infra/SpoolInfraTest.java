package dev.spool.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Each embedded server answers a real client the way Spool's services will use it. */
class SpoolInfraTest {

    private static SpoolInfra infra;

    @BeforeAll
    static void startServers() {
        infra = SpoolInfra.start(InfraSettings.forTests());
    }

    @AfterAll
    static void stopServers() {
        infra.close();
    }

    @Test
    void kafkaCommitsTransactionsForReadCommittedConsumers() throws Exception {
        String topic = "infra-test-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        Properties producerProps = new Properties();
        producerProps.put("bootstrap.servers", infra.kafkaBootstrapServers());
        producerProps.put("transactional.id", "infra-test-" + UUID.randomUUID());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed"));
            producer.commitTransaction();
        }

        assertThat(readCommitted(topic, 1)).containsExactly("committed");
    }

    private List<String> readCommitted(String topic, int expected) {
        Properties props = new Properties();
        props.put("bootstrap.servers", infra.kafkaBootstrapServers());
        props.put("group.id", "infra-test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    @Test
    void s3ChecksSignaturesAndStoresMultipartUploads() {
        try (S3Client s3 = s3(infra.s3SecretKey())) {
            String key = "multipart-" + UUID.randomUUID();
            String uploadId = s3.createMultipartUpload(b -> b.bucket("spool-uploads").key(key)).uploadId();
            byte[] first = new byte[5 * 1024 * 1024];
            byte[] second = "tail".getBytes(StandardCharsets.UTF_8);
            String etag1 = s3.uploadPart(b -> b.bucket("spool-uploads").key(key).uploadId(uploadId).partNumber(1),
                    RequestBody.fromBytes(first)).eTag();
            String etag2 = s3.uploadPart(b -> b.bucket("spool-uploads").key(key).uploadId(uploadId).partNumber(2),
                    RequestBody.fromBytes(second)).eTag();
            s3.completeMultipartUpload(b -> b.bucket("spool-uploads").key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                            CompletedPart.builder().partNumber(2).eTag(etag2).build())));

            assertThat(s3.headObject(b -> b.bucket("spool-uploads").key(key)).contentLength())
                    .isEqualTo(first.length + second.length);
            assertThat(s3.listObjectsV2(b -> b.bucket("spool-text")).contents()).isNotNull();
        }
        try (S3Client wrongSecret = s3("not-the-secret")) {
            assertThatThrownBy(() -> wrongSecret.listObjectsV2(b -> b.bucket("spool-uploads")))
                    .isInstanceOf(S3Exception.class);
        }
    }

    private S3Client s3(String secret) {
        return S3Client.builder()
                .endpointOverride(URI.create(infra.s3Endpoint()))
                .region(Region.of(infra.s3Region()))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(infra.s3AccessKey(), secret)))
                .build();
    }

    @Test
    void mongoWireServerEnforcesUniqueIndexes() {
        try (MongoClient client = MongoClients.create(infra.mongoUri())) {
            MongoCollection<Document> collection = client.getDatabase("infra").getCollection("unique-" + UUID.randomUUID());
            collection.createIndex(Indexes.ascending("code"), new IndexOptions().unique(true));
            collection.insertOne(new Document("code", "a"));

            assertThatThrownBy(() -> collection.insertOne(new Document("code", "a")))
                    .isInstanceOfSatisfying(MongoWriteException.class,
                            e -> assertThat(e.getError().getCategory()).isEqualTo(ErrorCategory.DUPLICATE_KEY));
            assertThat(collection.countDocuments()).isEqualTo(1);
        }
    }

    @Test
    void redisIsARealServer() {
        RedisClient client = RedisClient.create("redis://" + infra.redisHost() + ":" + infra.redisPort());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().setex("infra-test", 60, "value");

            assertThat(connection.sync().get("infra-test")).isEqualTo("value");
            assertThat(connection.sync().ttl("infra-test")).isBetween(1L, 60L);
            assertThat(connection.sync().info("server")).contains("redis_version");
        } finally {
            client.shutdown();
        }
    }
}
