package dev.spool.processor.storage;

import dev.spool.processor.config.ProcessorProperties;
import dev.spool.schemas.event.Priority;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.Arrays;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** The processor's S3 client and the storage adapters built on it. */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

    @Bean(destroyMethod = "close")
    S3Client processorS3Client(StorageProperties storage, ProcessorProperties processor) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder()
                        // every job thread of every tier may be in an S3 call at once
                        .maxConnections(connections(processor.capacity()))
                        .connectionTimeout(processor.storageConnectTimeout())
                        .socketTimeout(processor.storageReadTimeout()))
                .region(Region.of(storage.region()))
                .forcePathStyle(storage.pathStyle())
                // S3-compatible servers such as S3Proxy reject the SDK's default trailing checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                // Over plain HTTP the SDK otherwise signs every body in aws-chunked frames, which both sides take a
                // byte at a time; a body it can read twice (bytes, a file) is hashed once and signed whole instead.
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(credentials(storage));
        if (storage.hasEndpoint()) {
            builder.endpointOverride(URI.create(storage.endpoint()));
        }
        return builder.build();
    }

    @Bean
    CircuitBreaker storageCircuitBreaker(ProcessorProperties processor, MeterRegistry meters) {
        return StorageBreaker.circuitBreaker(processor.storageBreaker(), meters);
    }

    @Bean
    StorageBreaker storageBreaker(CircuitBreaker storageCircuitBreaker, ProcessorProperties processor,
            MeterRegistry meters) {
        return new StorageBreaker(storageCircuitBreaker, processor.storageBreaker().maxWait()).register(meters);
    }

    @Bean
    S3DocumentSource s3DocumentSource(S3Client processorS3Client, StorageBreaker storageBreaker) {
        return new S3DocumentSource(processorS3Client, storageBreaker);
    }

    @Bean
    S3TextStore s3TextStore(S3Client processorS3Client, StorageProperties storage, StorageBreaker storageBreaker) {
        return new S3TextStore(processorS3Client, storage.textBucket(), storageBreaker);
    }

    static int connections(ProcessorProperties.Capacities capacity) {
        return Arrays.stream(Priority.values()).mapToInt(tier -> capacity.of(tier).jobs()).sum();
    }

    private static AwsCredentialsProvider credentials(StorageProperties storage) {
        if (storage.hasStaticCredentials()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(storage.accessKey(), storage.secretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
