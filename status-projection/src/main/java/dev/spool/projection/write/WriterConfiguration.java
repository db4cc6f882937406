package dev.spool.projection.write;

import dev.spool.projection.config.ProjectionProperties;
import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.projection.redis.JobViewCache;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the fold and both stores into the {@link ViewWriter}. */
@Configuration(proxyBeanMethods = false)
class WriterConfiguration {

    @Bean
    ViewWriter viewWriter(JobViewRepository repository, JobViewCache cache, ProjectionProperties properties) {
        return new ViewWriter(new JobViewFold(), repository, cache, properties.mongo().timeout(),
                properties.redis().timeout());
    }
}
