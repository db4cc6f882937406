package dev.spool.projection.mongo;

import com.mongodb.reactivestreams.client.MongoClient;
import dev.spool.projection.config.ProjectionProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the view repository onto Boot's reactive-streams {@link MongoClient} and creates its indexes before the
 * listener starts consuming; without MongoDB the projection does not start.
 */
@Configuration(proxyBeanMethods = false)
class MongoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MongoConfiguration.class);

    @Bean
    JobViewRepository jobViewRepository(MongoClient mongoClient) {
        return new JobViewRepository(mongoClient);
    }

    @Bean
    SmartInitializingSingleton jobViewIndexes(JobViewRepository repository, ProjectionProperties properties) {
        return () -> {
            repository.createIndexes().block(properties.mongo().timeout());
            LOG.info("job view indexes are in place");
        };
    }
}
