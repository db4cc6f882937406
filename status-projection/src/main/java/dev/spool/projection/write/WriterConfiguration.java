package dev.spool.projection.write;

import dev.spool.projection.config.ProjectionProperties;
import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.projection.state.JobStatePublisher;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the fold, MongoDB and the job-state publisher into the durable {@link ViewWriter}. */
@Configuration(proxyBeanMethods = false)
class WriterConfiguration {

    @Bean
    DurableWriteHealth durableWriteHealth(MeterRegistry meters) {
        DurableWriteHealth health = new DurableWriteHealth();
        Gauge.builder("spool.projection.mongo.failing", health, h -> h.isFailing() ? 1 : 0)
                .description("1 while the projection's MongoDB writes are failing (and being retried), else 0")
                .register(meters);
        return health;
    }

    @Bean
    ViewWriter viewWriter(JobViewRepository repository, JobStatePublisher jobStatePublisher,
            DurableWriteHealth durableWriteHealth, ProjectionProperties properties) {
        return new ViewWriter(new JobViewFold(), repository, jobStatePublisher, durableWriteHealth,
                properties.mongo().timeout());
    }
}
