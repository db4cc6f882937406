package dev.spool.testsupport.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.infra.InfraEndpoints;
import dev.spool.testsupport.SharedInfra;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The proxy is invisible to a signing S3 client until told to fail or stall, and then fails exactly as told. */
class FaultInjectingProxyTest {

    private static final String BUCKET = "spool-uploads";

    private final InfraEndpoints infra = SharedInfra.get();
    private FaultInjectingProxy proxy;

    @BeforeEach
    void startProxy() {
        URI target = URI.create(infra.s3Endpoint());
        proxy = FaultInjectingProxy.start(target.getHost(), target.getPort());
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void aLargeObjectRoundTripsByteForByte() {
        byte[] content = new byte[20 * 1024 * 1024];
        new Random(42).nextBytes(content);
        String key = "fault-proxy/" + UUID.randomUUID();

        try (S3Client s3 = s3(Duration.ofSeconds(30))) {
            s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
            byte[] read = s3.getObjectAsBytes(g -> g.bucket(BUCKET).key(key)).asByteArray();
            assertThat(read).isEqualTo(content);
        }
        assertThat(proxy.requests()).isEqualTo(2);
        assertThat(proxy.injectedFaults()).isZero();
    }

    @Test
    void failNextAnswersThatManyRequestsWithTheStatusThenPassesThrough() {
        String key = "fault-proxy/" + UUID.randomUUID();
        proxy.failNext(2, 503);

        try (S3Client s3 = s3(Duration.ofSeconds(30))) {
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThatThrownBy(() -> s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromString("x")))
                        .isInstanceOfSatisfying(S3Exception.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(503);
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
                        });
            }
            s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromString("stored"));
            assertThat(s3.getObjectAsBytes(g -> g.bucket(BUCKET).key(key)).asUtf8String()).isEqualTo("stored");
        }
        assertThat(proxy.requests()).isEqualTo(4);
        assertThat(proxy.injectedFaults()).isEqualTo(2);
    }

    @Test
    void failAllKeepsFailingUntilPassThrough() {
        String key = "fault-proxy/" + UUID.randomUUID();
        proxy.failAll(500);

        try (S3Client s3 = s3(Duration.ofSeconds(30))) {
            for (int attempt = 0; attempt < 3; attempt++) {
                assertThatThrownBy(() -> s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromString("x")))
                        .isInstanceOfSatisfying(S3Exception.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(500);
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
                        });
            }
            proxy.passThrough();
            s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromString("stored"));
        }
        assertThat(proxy.injectedFaults()).isEqualTo(3);
    }

    @Test
    void aStalledRequestTimesOutTheAttemptAndTheNextOneIsForwarded() {
        String key = "fault-proxy/" + UUID.randomUUID();
        // far longer than the attempt timeout: the stall ending (a dropped connection) would be another exception
        proxy.stallNext(1, Duration.ofSeconds(5));

        try (S3Client s3 = s3(Duration.ofMillis(500))) {
            assertThatThrownBy(() -> s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromString("x")))
                    .isInstanceOf(ApiCallAttemptTimeoutException.class);
        }
        // Forwarded, at whatever pace a loaded machine gives it: 500 ms was the stalled attempt's limit, not this one's.
        try (S3Client s3 = s3(Duration.ofSeconds(30))) {
            s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromString("stored"));
        }
        assertThat(proxy.injectedFaults()).isEqualTo(1);
    }

    @Test
    void aHeldRequestWaitsUntilReleasedWhileOthersPassThenItIsForwarded() throws Exception {
        String held = "fault-proxy/held-" + UUID.randomUUID();
        String other = "fault-proxy/" + UUID.randomUUID();
        try (S3Client s3 = s3(Duration.ofSeconds(30))) {
            s3.putObject(p -> p.bucket(BUCKET).key(held), RequestBody.fromString("held"));
            FaultInjectingProxy.Hold hold = proxy.hold(held);
            CompletableFuture<String> read = CompletableFuture.supplyAsync(
                    () -> s3.getObjectAsBytes(g -> g.bucket(BUCKET).key(held)).asUtf8String());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (proxy.requests() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(proxy.requests()).as("the held read reached the proxy").isEqualTo(2);

            s3.putObject(p -> p.bucket(BUCKET).key(other), RequestBody.fromString("passes"));
            assertThat(s3.getObjectAsBytes(g -> g.bucket(BUCKET).key(other)).asUtf8String()).isEqualTo("passes");
            assertThat(read).as("held while the others passed").isNotDone();

            hold.release();
            assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo("held");
            assertThat(s3.getObjectAsBytes(g -> g.bucket(BUCKET).key(held)).asUtf8String()).isEqualTo("held");
        }
        assertThat(proxy.injectedFaults()).isZero();
    }

    @Test
    void everyAcceptedWholeWriteOfAnObjectIsRecordedEvenWhenItReplacesTheLast() {
        String key = "fault-proxy/" + UUID.randomUUID();
        String multipartKey = "fault-proxy/" + UUID.randomUUID();

        try (S3Client s3 = s3(Duration.ofSeconds(30))) {
            s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromString("first"));
            s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromString("second"));
            proxy.failNext(1, 503);
            assertThatThrownBy(() -> s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromString("refused")))
                    .isInstanceOf(S3Exception.class);
            String uploadId = s3.createMultipartUpload(c -> c.bucket(BUCKET).key(multipartKey)).uploadId();
            String etag = s3.uploadPart(u -> u.bucket(BUCKET).key(multipartKey).uploadId(uploadId).partNumber(1),
                    RequestBody.fromString("one part")).eTag();
            s3.completeMultipartUpload(c -> c.bucket(BUCKET).key(multipartKey).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
            s3.getObjectAsBytes(g -> g.bucket(BUCKET).key(key));
        }

        List<FaultInjectingProxy.ObjectWrite> writes = proxy.objectWrites();
        assertThat(writes).extracting(FaultInjectingProxy.ObjectWrite::path).containsExactly(
                "/" + BUCKET + "/" + key, "/" + BUCKET + "/" + key, "/" + BUCKET + "/" + multipartKey);
        assertThat(writes).extracting(FaultInjectingProxy.ObjectWrite::invocation).doesNotContainNull()
                .doesNotHaveDuplicates();
    }

    private S3Client s3(Duration attemptTimeout) {
        return S3Client.builder()
                .endpointOverride(URI.create(proxy.endpoint()))
                .region(Region.of(infra.s3Region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(infra.s3AccessKey(), infra.s3SecretKey())))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(attemptTimeout))
                .build();
    }
}
