package dev.spool.ingest.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Hands the expiry of a prefix's objects to the store as a bucket lifecycle rule (AWS S3, MinIO), keeping the
 * bucket's other rules: a lifecycle configuration is replaced as a whole. A store that refuses lifecycle
 * configuration (S3Proxy answers {@code NotImplemented}) is logged once per bucket, and the sweeper does the work.
 */
@Component
class BucketLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(BucketLifecycle.class);
    private static final String RULE_PREFIX = "spool-retention-";
    private static final String NO_CONFIGURATION = "NoSuchLifecycleConfiguration";

    private final S3AsyncClient s3;

    BucketLifecycle(S3AsyncClient s3) {
        this.s3 = s3;
    }

    /**
     * Makes {@code bucket} expire the objects under {@code prefix} {@code after} their creation, rounded up to
     * whole days (the unit of lifecycle rules).
     *
     * @return whether the store took the rule; {@code false} means the sweeper must remove those objects
     */
    Mono<Boolean> expire(String bucket, String prefix, Duration after) {
        LifecycleRule rule = LifecycleRule.builder()
                .id(RULE_PREFIX + prefix.replace("/", ""))
                .filter(filter -> filter.prefix(prefix))
                .status(ExpirationStatus.ENABLED)
                .expiration(expiration -> expiration.days(days(after)))
                .build();
        return existingRules(bucket)
                .flatMap(rules -> {
                    List<LifecycleRule> kept = new ArrayList<>(rules.stream()
                            .filter(existing -> !rule.id().equals(existing.id())).toList());
                    kept.add(rule);
                    return Mono.fromFuture(() -> s3.putBucketLifecycleConfiguration(request -> request.bucket(bucket)
                            .lifecycleConfiguration(configuration -> configuration.rules(kept))));
                })
                .map(response -> {
                    LOG.info("Objects under {} in bucket {} now expire after {} days by a lifecycle rule", prefix,
                            bucket, days(after));
                    return true;
                })
                .onErrorResume(SdkException.class, e -> {
                    LOG.warn("Bucket {} does not take lifecycle rules ({}); the retention sweeper removes expired "
                            + "objects under {} instead", bucket, e.getMessage(), prefix);
                    return Mono.just(false);
                });
    }

    private Mono<List<LifecycleRule>> existingRules(String bucket) {
        return Mono.fromFuture(() -> s3.getBucketLifecycleConfiguration(request -> request.bucket(bucket)))
                .map(response -> response.rules())
                .onErrorResume(e -> e instanceof S3Exception s3e && s3e.awsErrorDetails() != null
                        && NO_CONFIGURATION.equals(s3e.awsErrorDetails().errorCode()), e -> Mono.just(List.of()));
    }

    static int days(Duration after) {
        long days = after.toDays();
        return (int) Math.max(1, after.equals(Duration.ofDays(days)) ? days : days + 1);
    }
}
