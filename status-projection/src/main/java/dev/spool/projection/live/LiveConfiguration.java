package dev.spool.projection.live;

import dev.spool.projection.config.ProjectionProperties;
import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.projection.write.DurableWriteHealth;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** Wires the live writer onto Boot's Redis connection and the durable views it starts from. */
@Configuration(proxyBeanMethods = false)
class LiveConfiguration {

    @Bean
    LiveViewWriter liveViewWriter(ReactiveStringRedisTemplate redis, JobViewRepository durableViews,
            DurableWriteHealth durableHealth, ProjectionProperties properties) {
        LiveViewWriter.Settings settings = new LiveViewWriter.Settings(properties.redis().ttl(),
                properties.redis().degradedTtl(), properties.redis().timeout(), properties.mongo().timeout());
        return new LiveViewWriter(new JobViewFold(), new LiveViewStore(redis), durableViews, durableHealth, settings);
    }
}
