package dev.spool.testsupport.containers;

import dev.spool.infra.InfraEndpoints;
import dev.spool.infra.InfraSettings;
import java.net.URI;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.mongodb.MongoDBContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The same servers as {@link dev.spool.infra.SpoolInfra}, but the real products in containers: Apache Kafka (KRaft),
 * MongoDB (a one-member replica set), Redis and MinIO. Used by the opt-in {@code testcontainers} Maven profile where
 * a Docker engine runs; the images are pinned to those of {@code docker-compose.yml}.
 */
public final class ContainerInfra implements InfraEndpoints, AutoCloseable {

    static final String KAFKA_IMAGE = "apache/kafka:4.2.1";
    static final String MONGO_IMAGE = "mongo:8.0";
    static final String REDIS_IMAGE = "redis:7.4";
    static final String MINIO_IMAGE = "minio/minio:RELEASE.2025-09-07T16-13-09Z";
    private static final String ACCESS_KEY = "spool";
    private static final String SECRET_KEY = "spool-secret-key";
    private static final String REGION = "us-east-1";
    private static final int REDIS_PORT = 6379;

    private final KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
    private final MongoDBContainer mongo = new MongoDBContainer(MONGO_IMAGE);
    private final GenericContainer<?> redis = new GenericContainer<>(REDIS_IMAGE).withExposedPorts(REDIS_PORT);
    private final MinIOContainer minio = new MinIOContainer(MINIO_IMAGE).withUserName(ACCESS_KEY)
            .withPassword(SECRET_KEY);

    private ContainerInfra() {
    }

    /** Whether a Docker engine answers here. */
    public static boolean isDockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Starts the four containers in parallel and creates Spool's buckets. */
    public static ContainerInfra start() {
        ContainerInfra infra = new ContainerInfra();
        Startables.deepStart(List.of(infra.kafka, infra.mongo, infra.redis, infra.minio)).join();
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(URI.create(infra.s3Endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .build()) {
            InfraSettings.DEFAULT_BUCKETS.forEach(bucket -> s3.createBucket(request -> request.bucket(bucket)));
        }
        return infra;
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String s3Endpoint() {
        return minio.getS3URL();
    }

    @Override
    public String s3AccessKey() {
        return ACCESS_KEY;
    }

    @Override
    public String s3SecretKey() {
        return SECRET_KEY;
    }

    @Override
    public String s3Region() {
        return REGION;
    }

    @Override
    public String mongoUri() {
        return mongo.getReplicaSetUrl();
    }

    @Override
    public String redisHost() {
        return redis.getHost();
    }

    @Override
    public int redisPort() {
        return redis.getMappedPort(REDIS_PORT);
    }

    @Override
    public void close() {
        List.of(minio, redis, mongo, kafka).forEach(GenericContainer::stop);
    }
}
