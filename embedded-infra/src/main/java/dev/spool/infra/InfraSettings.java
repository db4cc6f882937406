package dev.spool.infra;

import java.nio.file.Path;
import java.util.List;

/**
 * How to start the embedded servers.
 *
 * @param dataDir where every server keeps its data; {@code null} uses a temporary folder deleted on close
 * @param kafkaPort broker listener port (0 = any free port)
 * @param kafkaControllerPort KRaft controller listener port (0 = any free port)
 * @param s3Port S3Proxy port (0 = any free port)
 * @param mongoPort MongoDB-wire port (0 = any free port)
 * @param redisPort Redis port (0 = any free port)
 * @param persistent keep data across restarts (H2 for MongoDB, append-only file for Redis)
 * @param buckets buckets created at start when missing
 */
public record InfraSettings(Path dataDir, int kafkaPort, int kafkaControllerPort, int s3Port, int mongoPort,
        int redisPort, boolean persistent, List<String> buckets) {

    public static final List<String> DEFAULT_BUCKETS = List.of("spool-uploads", "spool-text");

    public InfraSettings {
        buckets = List.copyOf(buckets);
    }

    /** Random ports, a temporary folder, nothing kept. */
    public static InfraSettings forTests() {
        return new InfraSettings(null, 0, 0, 0, 0, 0, false, DEFAULT_BUCKETS);
    }

    /** The launcher's documented default ports (9092, 9093, 9000, 27017, 6379), data kept under {@code dataDir}. */
    public static InfraSettings forLauncher(Path dataDir) {
        return new InfraSettings(dataDir, 9092, 9093, 9000, 27017, 6379, true, DEFAULT_BUCKETS);
    }

    public InfraSettings withPorts(int kafka, int kafkaController, int s3, int mongo, int redis) {
        return new InfraSettings(dataDir, kafka, kafkaController, s3, mongo, redis, persistent, buckets);
    }
}
