package dev.spool.projection;

import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;

/**
 * The status projection: folds every job event into the job's view and keeps it in MongoDB and Redis.
 * A non-web application; the launcher runs it as a sibling context of the other services. It uses the
 * reactive-streams MongoDB client only, so Boot's sync client stays off even when a sibling brings that driver.
 */
@SpringBootApplication(proxyBeanMethods = false, exclude = MongoAutoConfiguration.class)
@ConfigurationPropertiesScan
public class ProjectionApplication {

    /** Defaults for a standalone run only; the launcher brings its own. */
    private static final Map<String, Object> STANDALONE_DEFAULTS = Map.of(
            "spring.application.name", "status-projection",
            "logging.level.root", "WARN",
            "logging.level.dev.spool", "INFO",
            "management.endpoints.web.exposure.include", "health,info,prometheus",
            "management.endpoint.health.probes.enabled", "true",
            "management.endpoint.health.show-components", "always",
            "management.endpoint.health.group.readiness.include", "readinessState,listeners");

    protected ProjectionApplication() {
    }

    public static void main(String[] args) {
        // Given a port (SERVER_PORT, as in docker-compose), it serves health and metrics; without one, nothing.
        boolean served = System.getenv("SERVER_PORT") != null || System.getProperty("server.port") != null;
        new SpringApplicationBuilder(ProjectionApplication.class)
                .web(served ? WebApplicationType.REACTIVE : WebApplicationType.NONE)
                .properties(STANDALONE_DEFAULTS)
                .run(args);
    }
}
