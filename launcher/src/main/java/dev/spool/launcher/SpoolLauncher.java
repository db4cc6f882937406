package dev.spool.launcher;

import dev.spool.infra.InfraEndpoints;
import dev.spool.infra.SpoolInfra;
import dev.spool.launcher.LauncherSettings.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
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
    /** Well past the processor's own close timeouts, so a normal stop never meets it. */
    static final Duration STOP_DEADLINE = Duration.ofMinutes(3);

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
            services = ServiceContexts.start(serviceProperties(settings, infra), settings.httpPort(), settings.services(),
                    managementServers(settings));
        } catch (RuntimeException e) {
            infra.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(services::close, infra, STOP_DEADLINE),
                "spool-shutdown"));
        if (!services.ingestRunning()) {
            LOG.info("Spool is ready with {} only; no HTTP API without the ingest service", settings.services());
            return;
        }
        DemoTokens tokens = new DemoTokens(settings.jwtSecret());
        Instant now = Instant.now();
        StartupBanner.print(System.out, "http://localhost:" + services.ingestPort(), infraEndpoints(infra),
                managementEndpoints(services), tokens.demoUser(now), tokens.admin(now));
    }

    /**
     * Closes the services, then the servers. Services that do not finish closing within {@code deadline} (a
     * library's shutdown once waited forever on its event loops) are left behind: the servers still stop, so no
     * child process such as redis-server outlives the launcher, and the JVM exits when the shutdown hook returns.
     */
    static void stop(Runnable closeServices, AutoCloseable infra, Duration deadline) {
        LOG.info("Stopping Spool");
        Thread closing = new Thread(closeServices, "spool-services-close");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(deadline.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            LOG.error("The services did not stop within {}; stopping the servers anyway. Stuck at: {}", deadline,
                    Arrays.toString(closing.getStackTrace()));
        }
        try {
            infra.close();
        } catch (Exception e) {
            LOG.error("Stopping the servers failed", e);
        }
    }

    /** Properties every service context gets: where the servers are, the secret, and where state lives. */
    static Map<String, Object> serviceProperties(LauncherSettings settings, InfraEndpoints infra) {
        Map<String, Object> properties = new HashMap<>(infra.springProperties());
        properties.put("spool.auth.jwt-secret", settings.jwtSecret());
        properties.put("spool.processor.state-dir", settings.dataDir().resolve("streams").toString());
        // The launcher runs one processor on its data folder: a restart is the same member, back at once.
        properties.put("spool.processor.instance-id", "spool-launcher");
        properties.put("logging.structured.format.console", "ecs");
        // One logging system serves every context in this JVM, so it cannot carry a per-service name: the process
        // is "spool", and the logger name (dev.spool.ingest, dev.spool.processor, ...) tells the services apart.
        properties.put("logging.structured.ecs.service.name", "spool");
        EarlyLogging.QUIET.forEach((name, level) -> properties.put("logging.level." + name, level));
        return properties;
    }

    /** Health and metrics servers of the processor and the projection, on their own ports when configured. */
    static Map<Service, Map<String, Object>> managementServers(LauncherSettings settings) {
        Map<Service, Map<String, Object>> own = new EnumMap<>(Service.class);
        if (settings.processorPort() >= 0) {
            own.put(Service.PROCESSOR, managementServer(Service.PROCESSOR, settings.processorPort()));
        }
        if (settings.projectionPort() >= 0) {
            own.put(Service.PROJECTION, managementServer(Service.PROJECTION, settings.projectionPort()));
        }
        return own;
    }

    /** The properties that make the processor or the projection serve health and metrics on {@code port}. */
    static Map<String, Object> managementServer(Service service, int port) {
        return switch (service) {
            case PROCESSOR -> management(port, "readinessState,streams,extraction");
            case PROJECTION -> management(port, "readinessState,listeners");
            case INGEST -> throw new IllegalArgumentException("ingest serves health and metrics on its HTTP port");
        };
    }

    /**
     * Security sits on the one classpath the launcher shares (ingest brings it); these two serve only health and
     * metrics, public as ingest's are, so Boot's reactive security must not lock them.
     */
    private static final String NO_SECURITY = String.join(",",
            "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.reactive."
                    + "ReactiveManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive."
                    + "ReactiveOAuth2ResourceServerAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.reactive."
                    + "ReactiveOAuth2ResourceServerWebSecurityAutoConfiguration");

    private static Map<String, Object> management(int port, String readiness) {
        return Map.of(
                "spring.autoconfigure.exclude", NO_SECURITY,
                "server.port", port,
                "management.endpoints.web.exposure.include", "health,info,prometheus",
                "management.endpoint.health.probes.enabled", "true",
                "management.endpoint.health.show-components", "always",
                "management.endpoint.health.group.readiness.include", readiness);
    }

    private static List<String> managementEndpoints(ServiceContexts services) {
        List<String> lines = new ArrayList<>();
        if (services.processorPort() > 0) {
            lines.add("Processor       http://localhost:" + services.processorPort() + "/actuator/health, /actuator/prometheus");
        }
        if (services.projectionPort() > 0) {
            lines.add("Projection      http://localhost:" + services.projectionPort() + "/actuator/health, /actuator/prometheus");
        }
        return lines;
    }

    private static List<String> infraEndpoints(InfraEndpoints infra) {
        return List.of(
                "Kafka           " + infra.kafkaBootstrapServers(),
                "S3 (S3Proxy)    " + infra.s3Endpoint() + "  access key " + infra.s3AccessKey(),
                "MongoDB (wire)  " + infra.mongoUri(),
                "Redis           redis://" + infra.redisHost() + ":" + infra.redisPort());
    }
}
