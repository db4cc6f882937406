package dev.spool.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.infra.SharedInfra;
import dev.spool.infra.SpoolInfra;
import dev.spool.ingest.config.IngestProperties;
import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.util.unit.DataSize;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** Streaming uploads into the real S3Proxy: part boundaries, verification, and nothing left behind on failure. */
class UploadStoreIntegrationTest {

    private static final int PART = 5 * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    private static S3AsyncClient s3;
    private static UploadStore store;
    private static String bucket;

    @BeforeAll
    static void connect() {
        SpoolInfra infra = SharedInfra.get();
        StorageProperties storage = new StorageProperties(infra.s3Endpoint(), infra.s3Region(), infra.s3AccessKey(),
                infra.s3SecretKey(), true, "spool-uploads", "spool-text");
        IngestProperties ingest = new IngestProperties(DataSize.ofBytes(PART), "", Duration.ofSeconds(15),
                Duration.ofSeconds(2), "test-");
        s3 = new StorageConfiguration().s3AsyncClient(storage);
        store = new UploadStore(s3, new ObjectStore(s3), new ContentTypeDetector(), storage, ingest);
        bucket = storage.uploadBucket();
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    @Test
    void aStreamLongerThanTwoPartsIsStoredWholeWithItsDigest() throws Exception {
        byte[] content = randomBytes(2 * PART + 123_457);
        String key = "uploads/" + UUID.randomUUID();

        StoredObject stored = store.store(key, chunks(content)).block(Duration.ofSeconds(60));

        assertThat(stored).isNotNull();
        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(stored.sha256()).isEqualTo(sha256(content));
        assertThat(stored.contentType()).isEqualTo("application/octet-stream");
        byte[] read = s3.getObject(r -> r.bucket(bucket).key(key), AsyncResponseTransformer.toBytes())
                .get().asByteArray();
        assertThat(sha256(read)).isEqualTo(sha256(content));
        assertThat(s3.headObject(r -> r.bucket(bucket).key(key)).get().contentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void theContentTypeComesFromTheFirstBytes() {
        byte[] pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".getBytes();

        StepVerifier.create(store.store("uploads/" + UUID.randomUUID(), chunks(pdf)))
                .assertNext(stored -> assertThat(stored.contentType()).isEqualTo("application/pdf"))
                .verifyComplete();
    }

    @Test
    void aStreamFailingAfterAPartAbortsTheUploadAndStoresNothing() throws Exception {
        String key = "uploads/" + UUID.randomUUID();
        Flux<DataBuffer> failing = chunks(randomBytes(PART + CHUNK))
                .concatWith(Flux.error(new IOException("connection reset by client")));

        StepVerifier.create(store.store(key, failing))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(IOException.class));

        assertThat(s3.listMultipartUploads(r -> r.bucket(bucket).prefix(key)).get().uploads()).isEmpty();
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix(key)).get().contents()).isEmpty();
    }

    @Test
    void aClientGoneMidUploadLeavesNoPartsBehind() {
        String key = "uploads/" + UUID.randomUUID();
        Flux<DataBuffer> stalled = chunks(randomBytes(PART + CHUNK)).concatWith(Flux.never());

        Disposable upload = store.store(key, stalled).subscribe();
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> !s3.listMultipartUploads(r -> r.bucket(bucket).prefix(key)).get().uploads().isEmpty());
        upload.dispose();

        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> s3.listMultipartUploads(r -> r.bucket(bucket).prefix(key)).get().uploads().isEmpty());
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix(key)).join().contents()).isEmpty();
    }

    @Test
    void anEmptyStreamIsAnEmptyFileAndCreatesNothing() throws Exception {
        String key = "uploads/" + UUID.randomUUID();

        StepVerifier.create(store.store(key, Flux.empty()))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SpoolProblem.class,
                        problem -> assertThat(problem.code()).isEqualTo(ProblemCode.EMPTY_FILE)));

        assertThat(s3.listMultipartUploads(r -> r.bucket(bucket).prefix(key)).get().uploads()).isEmpty();
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix(key)).get().contents()).isEmpty();
    }

    private static Flux<DataBuffer> chunks(byte[] content) {
        return Flux.range(0, (content.length + CHUNK - 1) / CHUNK).map(index -> {
            int from = index * CHUNK;
            int length = Math.min(CHUNK, content.length - from);
            return DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(content, from, from + length));
        });
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
