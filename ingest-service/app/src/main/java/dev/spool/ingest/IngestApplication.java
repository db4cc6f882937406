package dev.spool.ingest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.PropertySource;

/**
 * The ingest service: takes uploads, stores them in S3, queues them as jobs on Kafka and answers status reads.
 * Its defaults live in a resource named after the service rather than {@code application.properties}, because
 * the launcher runs it beside the other services on one classpath.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@PropertySource("classpath:dev/spool/ingest/ingest-defaults.properties")
public class IngestApplication {

    /** Instantiated by Spring as the root configuration. */
    protected IngestApplication() {
    }

    public static void main(String[] args) {
        SpringApplication.run(IngestApplication.class, args);
    }
}
