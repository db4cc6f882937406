package dev.spool.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spool.infra.InfraEndpoints;
import dev.spool.ingest.TestSettings;
import dev.spool.ingest.config.StorageProperties;
import dev.spool.testsupport.SharedInfra;
import dev.spool.testsupport.fault.FaultInjectingProxy;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.test.StepVerifier;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** Removals of what refused uploads left behind, against the real S3Proxy behind a fault-injecting proxy. */
class UploadDiscardsIntegrationTest {

    private static final String BUCKET = "spool-uploads";

    private static FaultInjectingProxy proxy;
    private static S3AsyncClient direct;
    private static S3AsyncClient throughProxy;
    private static UploadDiscards discards;

    @BeforeAll
    static void connect() {
        InfraEndpoints infra = SharedInfra.get();
        URI s3 = URI.create(infra.s3Endpoint());
        proxy = FaultInjectingProxy.start(s3.getHost(), s3.getPort());
        direct = client(infra.s3Endpoint());
        throughProxy = client(proxy.endpoint());
        discards = new UploadDiscards(throughProxy, TestSettings.uploadStorage(DataSize.ofMegabytes(8)));
    }

    private static S3AsyncClient client(String endpoint) {
        InfraEndpoints infra = SharedInfra.get();
        return new StorageConfiguration().s3AsyncClient(new StorageProperties(endpoint, infra.s3Region(),
                infra.s3AccessKey(), infra.s3SecretKey(), true, BUCKET, "spool-text"), TestSettings.resilience());
    }

    @AfterAll
    static void close() {
        throughProxy.close();
        direct.close();
        proxy.close();
    }

    @Test
    void anAbortThatS3RefusesIsAnsweredAtOnceAndRetriedInTheBackgroundUntilTheUploadIsGone() throws Exception {
        String key = "uploads/" + UUID.randomUUID();
        String uploadId = direct.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).get().uploadId();
        long faultsBefore = proxy.injectedFaults();
        proxy.failNext(3, 503);

        StepVerifier.create(discards.abort(BUCKET, key, uploadId)).expectComplete().verify(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                direct.listMultipartUploads(r -> r.bucket(BUCKET).prefix(key)).get().uploads()).isEmpty());
        assertThat(proxy.injectedFaults() - faultsBefore).isEqualTo(3);
    }

    @Test
    void aDeleteThatS3RefusesIsRetriedInTheBackgroundUntilTheObjectIsGone() throws Exception {
        String key = "uploads/" + UUID.randomUUID();
        direct.putObject(r -> r.bucket(BUCKET).key(key), AsyncRequestBody.fromString("refused upload")).get();
        proxy.failNext(2, 503);

        StepVerifier.create(discards.delete(BUCKET, key)).expectComplete().verify(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                direct.listObjectsV2(r -> r.bucket(BUCKET).prefix(key)).get().contents()).isEmpty());
    }
}
