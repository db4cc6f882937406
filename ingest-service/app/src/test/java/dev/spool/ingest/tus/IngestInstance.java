package dev.spool.ingest.tus;

import dev.spool.testsupport.SharedInfra;
import dev.spool.ingest.IngestApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * An ingest service on a fixed port that a test can stop and start again, as an operator restarts an instance: the
 * new one shares nothing with the old but the servers (Kafka, S3, MongoDB, Redis).
 */
final class IngestInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private IngestInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static IngestInstance start(int port, String jwtSecret, String rateLimitPrefix) {
        return start(port, jwtSecret, rateLimitPrefix, Map.of(), context -> { });
    }

    /**
     * An instance with settings of its own and an initializer that may register beans before the context refreshes
     * (to stand in for one of its parts).
     */
    static IngestInstance start(int port, String jwtSecret, String rateLimitPrefix, Map<String, Object> settings,
            ApplicationContextInitializer<GenericApplicationContext> initializer) {
        Map<String, Object> properties = new HashMap<>(SharedInfra.get().springProperties());
        properties.put("spool.auth.jwt-secret", jwtSecret);
        properties.put("spool.ratelimit.key-prefix", rateLimitPrefix);
        properties.put("server.port", port);
        properties.put("spring.application.name", "ingest-service");
        properties.put("spring.reactor.netty.shutdown-quiet-period", "0s");
        properties.putAll(settings);
        return new IngestInstance(new SpringApplicationBuilder(IngestApplication.class)
                .web(WebApplicationType.REACTIVE)
                .registerShutdownHook(false)
                .properties(properties)
                .initializers(context -> {
                    GenericApplicationContext generic = (GenericApplicationContext) context;
                    // Event loops of its own: closing an instance would otherwise dispose the JVM-wide ones that
                    // another instance's server still runs on.
                    generic.registerBean(ReactorResourceFactory.class, () -> {
                        ReactorResourceFactory resources = new ReactorResourceFactory();
                        resources.setUseGlobalResources(false);
                        return resources;
                    });
                    initializer.initialize(generic);
                })
                .run());
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
