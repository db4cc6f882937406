package dev.spool.projection.rebuild;

import dev.spool.projection.config.ProjectionProperties;
import dev.spool.projection.mongo.JobViewRepository;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Runs the {@link ViewRebuild} when {@code spool.projection.rebuild=true}: after every bean exists and before the
 * listener containers start, so that the durable group joins with no offsets and starts from the beginning.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("spool.projection.rebuild")
class RebuildConfiguration {

    @Bean
    SmartInitializingSingleton viewRebuild(KafkaAdmin kafkaAdmin, JobViewRepository repository,
            ProjectionProperties properties) {
        return () -> {
            try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
                new ViewRebuild(admin, repository, properties.consumer().groupId(), properties.mongo().timeout()).run();
            }
        };
    }
}
