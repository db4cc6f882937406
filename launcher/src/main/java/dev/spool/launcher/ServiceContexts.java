package dev.spool.launcher;

import dev.spool.ingest.IngestApplication;
import dev.spool.launcher.LauncherSettings.Service;
import dev.spool.processor.ProcessorApplication;
import dev.spool.projection.ProjectionApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The three services (or the chosen ones among them) as sibling Spring contexts in one JVM, each with its own
 * configuration, started in the order the data flows backwards (projection, processor, then ingest, which takes
 * traffic) and closed in reverse.
 */
final class ServiceContexts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceContexts.class);
    private static final String READINESS_GROUP = "management.endpoint.health.group.readiness.include";

    private final List<ConfigurableApplicationContext> started = new ArrayList<>();
    private ConfigurableApplicationContext ingest;
    private ConfigurableApplicationContext processor;
    private ConfigurableApplicationContext projection;

    static ServiceContexts start(Map<String, Object> shared, int httpPort, Set<Service> services) {
        return start(shared, httpPort, services, Map.of());
    }

    /** As {@link #start(Map, int, Set)}, with properties of one service's own on top of the shared ones. */
    static ServiceContexts start(Map<String, Object> shared, int httpPort, Set<Service> services,
            Map<Service, Map<String, Object>> own) {
        ServiceContexts contexts = new ServiceContexts();
        try {
            if (services.contains(Service.PROJECTION)) {
                Map<String, Object> properties = merged(shared, own.get(Service.PROJECTION));
                contexts.projection = contexts.run(ProjectionApplication.class, "status-projection",
                        webIfPort(properties), properties);
            }
            if (services.contains(Service.PROCESSOR)) {
                Map<String, Object> properties = merged(shared, own.get(Service.PROCESSOR));
                contexts.processor = contexts.run(ProcessorApplication.class, "processor-streams",
                        webIfPort(properties), properties);
            }
            if (services.contains(Service.INGEST)) {
                Map<String, Object> web = merged(shared, own.get(Service.INGEST));
                web.put("server.port", httpPort);
                PipelineReadiness pipeline = new PipelineReadiness()
                        .with("processor", contexts.processor, "streamsHealthIndicator", "extractionHealthIndicator")
                        .with("projection", contexts.projection, "listenersHealthIndicator");
                List<ApplicationContextInitializer<?>> initializers = new ArrayList<>();
                if (!pipeline.isEmpty()) {
                    // Above ingest's own defaults (a @PropertySource, which outranks the builder's properties).
                    String readiness = ingestDefault(READINESS_GROUP) + "," + PipelineReadiness.NAME;
                    initializers.add(context -> {
                        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(
                                "spool-launcher-pipeline", Map.of(READINESS_GROUP, readiness)));
                        context.getBeanFactory().registerSingleton(PipelineReadiness.NAME + "HealthIndicator", pipeline);
                    });
                }
                contexts.ingest = contexts.run(IngestApplication.class, "ingest-service", WebApplicationType.REACTIVE,
                        web, initializers);
            }
            return contexts;
        } catch (RuntimeException e) {
            contexts.close();
            throw e;
        }
    }

    /** A setting from ingest's own defaults, which the launcher extends rather than repeats. */
    private static String ingestDefault(String name) {
        Properties defaults = new Properties();
        try (InputStream in = IngestApplication.class.getResourceAsStream("ingest-defaults.properties")) {
            if (in == null) {
                throw new IllegalStateException("ingest-defaults.properties is not beside IngestApplication");
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Objects.requireNonNull(defaults.getProperty(name), name);
    }

    /** The processor and the projection serve health and metrics only when given a port of their own. */
    private static WebApplicationType webIfPort(Map<String, Object> properties) {
        return properties.containsKey("server.port") ? WebApplicationType.REACTIVE : WebApplicationType.NONE;
    }

    private static Map<String, Object> merged(Map<String, Object> shared, Map<String, Object> own) {
        Map<String, Object> properties = new HashMap<>(shared);
        if (own != null) {
            properties.putAll(own);
        }
        return properties;
    }

    private ConfigurableApplicationContext run(Class<?> application, String name, WebApplicationType type,
            Map<String, Object> properties) {
        return run(application, name, type, properties, List.of());
    }

    private ConfigurableApplicationContext run(Class<?> application, String name, WebApplicationType type,
            Map<String, Object> properties, List<ApplicationContextInitializer<?>> initializers) {
        Map<String, Object> own = new HashMap<>(properties);
        own.put("spring.application.name", name);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .web(type)
                .registerShutdownHook(false)
                .initializers(initializers.toArray(ApplicationContextInitializer[]::new))
                .properties(own)
                .run();
        started.add(context);
        LOG.info("{} started", name);
        return context;
    }

    /** Where the processor serves health and metrics, or -1 when it does not. */
    int processorPort() {
        return portOf(processor);
    }

    /** Where the projection serves health and metrics, or -1 when it does not. */
    int projectionPort() {
        return portOf(projection);
    }

    private static int portOf(ConfigurableApplicationContext context) {
        return context == null ? -1 : context.getEnvironment().getProperty("local.server.port", Integer.class, -1);
    }

    boolean ingestRunning() {
        return ingest != null;
    }

    /** The port the ingest service actually listens on (differs from the requested one when that was 0). */
    int ingestPort() {
        if (ingest == null) {
            throw new IllegalStateException("the ingest service is not running (SPOOL_SERVICES)");
        }
        return ingest.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    @Override
    public void close() {
        List<ConfigurableApplicationContext> reversed = new ArrayList<>(started);
        Collections.reverse(reversed);
        for (ConfigurableApplicationContext context : reversed) {
            try {
                context.close();
            } catch (RuntimeException e) {
                LOG.warn("closing {} failed", context.getId(), e);
            }
        }
        started.clear();
        ingest = null;
    }
}
