package dev.spool.ingest.jobs;

import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.view.JobView;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.StringRedisSerializer;

/** A typed Redis template for job views, reading and writing the JSON the projection writes. */
@Configuration(proxyBeanMethods = false)
public class ViewStoreConfiguration {

    @Bean
    ReactiveRedisTemplate<String, JobView> jobViewRedisTemplate(ReactiveRedisConnectionFactory connections) {
        RedisSerializationContext<String, JobView> context = RedisSerializationContext
                .<String, JobView>newSerializationContext(StringRedisSerializer.UTF_8)
                .value(new JacksonJsonRedisSerializer<>(EventJson.mapper(), JobView.class))
                .build();
        return new ReactiveRedisTemplate<>(connections, context);
    }
}
