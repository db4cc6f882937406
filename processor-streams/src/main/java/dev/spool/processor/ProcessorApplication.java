package dev.spool.processor;

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
        application.setWebApplicationType(WebApplicationType.NONE);
        application.run(args);
    }
}
