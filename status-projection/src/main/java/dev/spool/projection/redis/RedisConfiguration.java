package dev.spool.projection.redis;

import dev.spool.projection.config.ProjectionProperties;
import dev.spool.schemas.view.JobView;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;

/** A typed Redis template for job views on Boot's connection factory, and the cache on top of it. */
@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

    @Bean
    ReactiveRedisTemplate<String, JobView> jobViewRedisTemplate(ReactiveRedisConnectionFactory connectionFactory) {
        return new ReactiveRedisTemplate<>(connectionFactory, JobViewCache.serialization());
    }

    @Bean
    JobViewCache jobViewCache(ReactiveRedisTemplate<String, JobView> jobViewRedisTemplate, ProjectionProperties properties) {
        return new JobViewCache(jobViewRedisTemplate, properties.redis().ttl());
    }
}
