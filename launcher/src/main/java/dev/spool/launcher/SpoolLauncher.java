package dev.spool.launcher;

import dev.spool.infra.SpoolInfra;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command for the whole pipeline: the embedded Kafka, S3, MongoDB-wire and Redis servers with their data
 * under one folder, then the three services. Ctrl-C or SIGTERM stops everything, children included.
 */
public final class SpoolLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolLauncher.class);

    private SpoolLauncher() {
    }

    /** Prints the endpoints and tokens for the person at the terminal, hence standard output. */
    @SuppressWarnings("checkstyle:regexp")
    public static void main(String[] args) {
        EarlyLogging.apply();
        LauncherSettings settings = LauncherSettings.fromEnvironment(System.getenv());
        LOG.info("Starting Spool ({}) with data under {}", settings.services(), settings.dataDir());
        SpoolInfra infra = SpoolInfra.start(settings.infra());
        ServiceContexts services;
        try {
            services = ServiceContexts.start(serviceProperties(settings, infra), settings.httpPort(), settings.services());
        } catch (RuntimeException e) {
            infra.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping Spool");
            services.close();
            infra.close();
        }, "spool-shutdown"));
        if (!services.ingestRunning()) {
            LOG.info("Spool is ready with {} only; no HTTP API without the ingest service", settings.services());
            return;
        }
        DemoTokens tokens = new DemoTokens(settings.jwtSecret());
        Instant now = Instant.now();
        StartupBanner.print(System.out, "http://localhost:" + services.ingestPort(), infraEndpoints(infra),
                tokens.demoUser(now), tokens.admin(now));
    }

    /** Properties every service context gets: where the servers are, the secret, and where state lives. */
    static Map<String, Object> serviceProperties(LauncherSettings settings, SpoolInfra infra) {
        Map<String, Object> properties = new HashMap<>(infra.springProperties());
        properties.put("spool.auth.jwt-secret", settings.jwtSecret());
        properties.put("spool.processor.state-dir", settings.dataDir().resolve("streams").toString());
        properties.put("logging.structured.format.console", "ecs");
        // One logging system serves every context in this JVM, so it cannot carry a per-service name: the process
        // is "spool", and the logger name (dev.spool.ingest, dev.spool.processor, ...) tells the services apart.
        properties.put("logging.structured.ecs.service.name", "spool");
        EarlyLogging.QUIET.forEach((name, level) -> properties.put("logging.level." + name, level));
        return properties;
    }

    private static List<String> infraEndpoints(SpoolInfra infra) {
        return List.of(
                "Kafka           " + infra.kafkaBootstrapServers(),
                "S3 (S3Proxy)    " + infra.s3Endpoint() + "  access key " + infra.s3AccessKey(),
                "MongoDB (wire)  " + infra.mongoUri(),
                "Redis           redis://" + infra.redisHost() + ":" + infra.redisPort());
    }
}
