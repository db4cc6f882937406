package dev.spool.launcher.faults;

import dev.spool.infra.InfraEndpoints;
import dev.spool.infra.InfraSettings;
import dev.spool.infra.kafka.KafkaBroker;
import dev.spool.infra.mongo.MongoWireServer;
import dev.spool.infra.net.FreePorts;
import dev.spool.infra.redis.RedisProcess;
import dev.spool.infra.s3.S3Server;
import dev.spool.testsupport.fault.FaultInjectingProxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The suite's own Kafka, S3, MongoDB-wire and Redis servers, on ports fixed for the whole run and with data kept on
 * disk, so that each can be stopped and started again where the services expect it. The services reach S3 through
 * a {@link FaultInjectingProxy}; checks that must see S3 as it is use {@link #directS3Endpoint()}.
 */
public final class SuiteServers implements InfraEndpoints, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SuiteServers.class);

    private final Path dataDir;
    private final int kafkaPort = FreePorts.resolve(0);
    private final int kafkaControllerPort = FreePorts.resolve(0);
    private final int mongoPort = FreePorts.resolve(0);
    private final int redisPort = FreePorts.resolve(0);
    private final S3Server s3;
    private final FaultInjectingProxy s3Faults;
    private final List<Instant> kafkaStops = new ArrayList<>();
    private KafkaBroker kafka;
    private MongoWireServer mongo;
    private RedisProcess redis;

    private SuiteServers(Path dataDir) {
        this.dataDir = dataDir;
        s3 = S3Server.start(dataDir.resolve("s3"), FreePorts.resolve(0), InfraSettings.DEFAULT_BUCKETS);
        URI direct = URI.create(s3.endpoint());
        s3Faults = FaultInjectingProxy.start(direct.getHost(), direct.getPort());
    }

    /** Starts every server with its data under {@code dataDir}. */
    public static SuiteServers start(Path dataDir) {
        SuiteServers servers = new SuiteServers(dataDir);
        try {
            servers.startRedis();
            servers.startMongo();
            servers.startKafka();
            return servers;
        } catch (RuntimeException e) {
            servers.close();
            throw e;
        }
    }

    public synchronized void startKafka() {
        kafka = KafkaBroker.start(dataDir.resolve("kafka"), kafkaPort, kafkaControllerPort);
    }

    public synchronized void stopKafka() {
        kafkaStops.add(Instant.now());
        kafka.close();
        kafka = null;
    }

    /** When each {@link #stopKafka} began, in order. */
    public synchronized List<Instant> kafkaStops() {
        return List.copyOf(kafkaStops);
    }

    public synchronized void startMongo() {
        mongo = MongoWireServer.start(dataDir.resolve("mongo/spool.mv"), mongoPort);
    }

    public synchronized void stopMongo() {
        mongo.close();
        mongo = null;
    }

    /** Redis keeps an append-only file, so a restart brings back every view and feed it held. */
    public synchronized void startRedis() {
        redis = RedisProcess.start(dataDir.resolve("redis"), redisPort, true);
    }

    public synchronized void stopRedis() {
        redis.close();
        redis = null;
    }

    /** The proxy between the services and S3, to make S3 fail or stall. */
    public FaultInjectingProxy s3Faults() {
        return s3Faults;
    }

    /** S3 without the proxy. */
    public String directS3Endpoint() {
        return s3.endpoint();
    }

    @Override
    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** What the services are given: the fault proxy. */
    @Override
    public String s3Endpoint() {
        return s3Faults.endpoint();
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
        return "mongodb://127.0.0.1:" + mongoPort;
    }

    @Override
    public String redisHost() {
        return "127.0.0.1";
    }

    @Override
    public int redisPort() {
        return redisPort;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable server : new AutoCloseable[] {kafka, s3Faults, s3, mongo, redis}) {
            if (server == null) {
                continue;
            }
            try {
                server.close();
            } catch (Exception e) {
                LOG.warn("{} did not stop cleanly", server.getClass().getSimpleName(), e);
            }
        }
    }
}
