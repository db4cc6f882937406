package dev.spool.ingest.download;

import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.s3.S3Credentials;
import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The presigner of download URLs: the storage's region, keys and addressing, but the endpoint callers reach, since
 * a SigV4 signature covers the host the URL names.
 */
@Configuration(proxyBeanMethods = false)
class DownloadConfiguration {

    @Bean(destroyMethod = "close")
    S3Presigner downloadPresigner(StorageProperties storage, DownloadProperties downloads) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(storage.region()))
                .credentialsProvider(S3Credentials.of(storage))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(storage.pathStyle()).build());
        String endpoint = downloads.endpoint(storage);
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }
}
