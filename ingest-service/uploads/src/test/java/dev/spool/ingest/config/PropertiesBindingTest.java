package dev.spool.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.idempotency.IdempotencyProperties;
import dev.spool.ingest.publish.JobPublishingProperties;
import dev.spool.ingest.publish.KafkaTopicProperties;
import dev.spool.ingest.servicelevel.ServiceLevelProperties;
import dev.spool.ingest.storage.UploadStorageProperties;
import dev.spool.ingest.upload.UploadLimitProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

/** How the service's settings bind and what they refuse at start-up. */
class PropertiesBindingTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(AllProperties.class);

    @Test
    void defaultsMatchTheDocumentedValues() {
        runner.withPropertyValues("spool.auth.jwt-secret=" + "s".repeat(32)).run(context -> {
            assertThat(context.getBean(UploadStorageProperties.class).partSize()).isEqualTo(DataSize.ofMegabytes(8));
            assertThat(context.getBean(JobPublishingProperties.class).publishTimeout())
                    .isEqualTo(Duration.ofSeconds(15));
            assertThat(context.getBean(StatusProperties.class).statusUrl("42")).isEqualTo("/api/v1/jobs/42");
            UploadLimitProperties limits = context.getBean(UploadLimitProperties.class);
            assertThat(limits.maxFileSize()).isEqualTo(DataSize.ofMegabytes(100));
            assertThat(limits.maxFiles()).isEqualTo(10);
            assertThat(context.getBean(IdempotencyProperties.class).idempotencyTtl()).isEqualTo(Duration.ofHours(24));
            StorageProperties storage = context.getBean(StorageProperties.class);
            assertThat(storage.region()).isEqualTo("us-east-1");
            assertThat(storage.pathStyle()).isTrue();
            assertThat(storage.uploadBucket()).isEqualTo("spool-uploads");
            assertThat(storage.textBucket()).isEqualTo("spool-text");
            assertThat(context.getBean(KafkaTopicProperties.class).replicationFactor()).isEqualTo((short) 1);
            assertThat(context.getBean(ServiceLevelProperties.class).timeout()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void theSecretBindsFromTheEnvironmentVariable() {
        String secret = "an-environment-secret-of-more-than-32-bytes";
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("test-env", Map.of("SPOOL_AUTH_JWT_SECRET", secret))))
                .run(context -> assertThat(context.getBean(AuthProperties.class).jwtSecret()).isEqualTo(secret));
    }

    @Test
    void aShortOrMissingSecretStopsTheStart() {
        runner.withPropertyValues("spool.auth.jwt-secret=too-short")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("at least 32 bytes"));
        runner.run(context -> assertThat(context).hasFailed());
    }

    @Test
    void aJwksUriNeedsNoSecret() {
        runner.withPropertyValues("spool.auth.jwks-uri=https://idp.example.com/jwks.json")
                .run(context -> assertThat(context.getBean(AuthProperties.class).usesJwks()).isTrue());
    }

    @Test
    void aPublicBaseUrlPrefixesTheLinks() {
        runner.withPropertyValues("spool.auth.jwt-secret=" + "s".repeat(32),
                        "spool.ingest.public-base-url=https://spool.example.com/")
                .run(context -> assertThat(context.getBean(StatusProperties.class).eventsUrl("42"))
                        .isEqualTo("https://spool.example.com/api/v1/jobs/42/events"));
    }

    @Test
    void partsBelowTheS3MinimumAreRefused() {
        runner.withPropertyValues("spool.auth.jwt-secret=" + "s".repeat(32), "spool.ingest.part-size=1MB")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void aServiceLevelTimeoutOfZeroStopsTheStart() {
        runner.withPropertyValues("spool.auth.jwt-secret=" + "s".repeat(32), "spool.ingest.service-level.timeout=0s")
                .run(context -> assertThat(context).hasFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({StatusProperties.class, UploadLimitProperties.class,
        UploadStorageProperties.class, JobPublishingProperties.class, IdempotencyProperties.class,
        AuthProperties.class, StorageProperties.class, KafkaTopicProperties.class, ServiceLevelProperties.class})
    static class AllProperties {
    }
}
