package dev.spool.ingest.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.config.StorageProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** How the download settings bind, and the expiries S3 would refuse stopping the start instead. */
class DownloadPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Settings.class);

    @Test
    void defaultsAreFifteenMinutesSignedForTheStorageEndpoint() {
        runner.withPropertyValues("spool.storage.endpoint=http://minio:9000").run(context -> {
            DownloadProperties downloads = context.getBean(DownloadProperties.class);
            assertThat(downloads.expiry()).isEqualTo(Duration.ofMinutes(15));
            assertThat(downloads.endpoint(context.getBean(StorageProperties.class))).isEqualTo("http://minio:9000");
        });
    }

    @Test
    void aPublicEndpointIsWhatUrlsAreSignedFor() {
        runner.withPropertyValues("spool.storage.endpoint=http://minio:9000",
                        "spool.ingest.downloads.public-endpoint=http://localhost:9000")
                .run(context -> assertThat(context.getBean(DownloadProperties.class)
                        .endpoint(context.getBean(StorageProperties.class))).isEqualTo("http://localhost:9000"));
    }

    @Test
    void sevenDaysIsTheLongestExpiryAndEightDaysStopTheStart() {
        runner.withPropertyValues("spool.ingest.downloads.expiry=7d")
                .run(context -> assertThat(context.getBean(DownloadProperties.class).expiry())
                        .isEqualTo(Duration.ofDays(7)));
        runner.withPropertyValues("spool.ingest.downloads.expiry=8d")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("spool.ingest.downloads.expiry must be between 1s and 7d"));
        runner.withPropertyValues("spool.ingest.downloads.expiry=0s")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void aPublicEndpointMustBeAnHttpUrl() {
        runner.withPropertyValues("spool.ingest.downloads.public-endpoint=localhost:9000")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("public-endpoint must be empty or an absolute http(s) URL"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({DownloadProperties.class, StorageProperties.class})
    static class Settings {
    }
}
