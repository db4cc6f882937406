package dev.spool.infra;

import dev.spool.infra.kafka.KafkaBroker;
import dev.spool.infra.mongo.MongoWireServer;
import dev.spool.infra.redis.RedisProcess;
import dev.spool.infra.s3.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka, S3, MongoDB-wire and Redis servers started together on this machine, with the Spring properties that
 * point Spool's services at them. Closing stops them in reverse order; a temporary data folder is deleted.
 */
public final class SpoolInfra implements InfraEndpoints, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolInfra.class);

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Path dataDir;
    private final boolean temporary;
    private KafkaBroker kafka;
    private S3Server s3;
    private MongoWireServer mongo;
    private RedisProcess redis;

    private SpoolInfra(Path dataDir, boolean temporary) {
        this.dataDir = dataDir;
        this.temporary = temporary;
    }

    public static SpoolInfra start(InfraSettings settings) {
        boolean temporary = settings.dataDir() == null;
        Path dataDir = temporary ? createTempDir() : settings.dataDir();
        SpoolInfra infra = new SpoolInfra(dataDir, temporary);
        try {
            infra.redis = infra.track(RedisProcess.start(dataDir.resolve("redis"), settings.redisPort(),
                    settings.persistent()));
            infra.mongo = infra.track(MongoWireServer.start(
                    settings.persistent() ? dataDir.resolve("mongo/spool.mv") : null, settings.mongoPort()));
            infra.s3 = infra.track(S3Server.start(dataDir.resolve("s3"), settings.s3Port(), settings.buckets()));
            infra.kafka = infra.track(KafkaBroker.start(dataDir.resolve("kafka"), settings.kafkaPort(),
                    settings.kafkaControllerPort()));
            return infra;
        } catch (RuntimeException e) {
            infra.close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T track(T server) {
        running.push(server);
        return server;
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String s3Endpoint() {
        return s3.endpoint();
    }

    @Override
    public String s3AccessKey() {
        return S3Server.ACCESS_KEY;
    }

    @Override
    public String s3SecretKey() {
        return S3Server.SECRET_KEY;
    }

    @Override
    public String s3Region() {
        return S3Server.REGION;
    }

    @Override
    public String mongoUri() {
        return mongo.uri();
    }

    @Override
    public String redisHost() {
        return "127.0.0.1";
    }

    @Override
    public int redisPort() {
        return redis.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public synchronized void close() {
        while (!running.isEmpty()) {
            AutoCloseable server = running.pop();
            try {
                server.close();
            } catch (Exception e) {
                LOG.warn("{} did not stop cleanly", server.getClass().getSimpleName(), e);
            }
        }
        if (temporary) {
            deleteRecursively(dataDir);
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("spool-infra-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}", dir, e);
        }
    }
}
