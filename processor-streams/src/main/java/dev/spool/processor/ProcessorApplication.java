package dev.spool.processor;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The processor service: a Kafka Streams application that turns queued jobs into extracted text and facts. */
@SpringBootApplication(proxyBeanMethods = false)
@ConfigurationPropertiesScan
public class ProcessorApplication {

    /** Spring instantiates the application class; nobody else should. */
    protected ProcessorApplication() {
    }

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(ProcessorApplication.class);
        // Given a port (SERVER_PORT, as in docker-compose), it serves health and metrics; without one, nothing.
        boolean served = System.getenv("SERVER_PORT") != null || System.getProperty("server.port") != null;
        application.setWebApplicationType(served ? WebApplicationType.REACTIVE : WebApplicationType.NONE);
        application.setDefaultProperties(Map.of(
                "spring.application.name", "processor-streams",
                "management.endpoints.web.exposure.include", "health,info,prometheus",
                "management.endpoint.health.probes.enabled", "true",
                "management.endpoint.health.show-components", "always",
                "management.endpoint.health.group.readiness.include", "readinessState,streams,extraction"));
        application.run(args);
    }
}
