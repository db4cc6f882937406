package dev.spool.ingest.storage;

import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.resilience.ResilienceProperties;
import dev.spool.ingest.s3.S3Credentials;
import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The non-blocking S3 client on the SDK's Netty transport, set up for AWS, MinIO and S3Proxy alike, with connect,
 * read and whole-call timeouts.
 */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

    @Bean(destroyMethod = "close")
    S3AsyncClient s3AsyncClient(StorageProperties storage, ResilienceProperties resilience) {
        ResilienceProperties.StorageTimeouts timeouts = resilience.storage();
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .connectionTimeout(timeouts.connect())
                        .readTimeout(timeouts.read())
                        .writeTimeout(timeouts.read()))
                // Retries belong to the DependencyGuard (full jitter, breaker-aware); SDK retries on top would
                // multiply the attempts and hide failures from the breaker. Each SDK call is one attempt, so its
                // timeout is an attempt timeout, which the guard retries.
                .overrideConfiguration(config -> config
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(timeouts.call()))
                .region(Region.of(storage.region()))
                .forcePathStyle(storage.pathStyle())
                // The SDK's default aws-chunked bodies with a trailing CRC cannot be retried and break S3Proxy;
                // parts carry a Content-MD5 instead, which every S3 implementation checks.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Over plain HTTP the SDK otherwise signs every body in aws-chunked frames, which both sides take a
                // byte at a time; parts and whole files are byte arrays, hashed once and signed whole instead.
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .credentialsProvider(S3Credentials.of(storage));
        if (!storage.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(storage.endpoint()));
        }
        return builder.build();
    }
}
