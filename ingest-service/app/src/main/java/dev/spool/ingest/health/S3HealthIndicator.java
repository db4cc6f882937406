package dev.spool.ingest.health;

import dev.spool.ingest.config.StorageProperties;
import java.time.Duration;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * S3 health as {@code HeadBucket} on the uploads bucket, straight to S3 (not through the breaker, so that it sees
 * S3 come back). Part of readiness, since no upload can be stored without it.
 */
@Component("s3HealthIndicator")
public class S3HealthIndicator extends AbstractReactiveHealthIndicator {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final S3AsyncClient s3;
    private final String bucket;

    public S3HealthIndicator(S3AsyncClient s3, StorageProperties storage) {
        super("S3 did not answer for the uploads bucket");
        this.s3 = s3;
        this.bucket = storage.uploadBucket();
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return Mono.fromFuture(() -> s3.headBucket(request -> request.bucket(bucket)))
                .timeout(TIMEOUT)
                .map(response -> builder.up().withDetail("bucket", bucket).build());
    }
}
