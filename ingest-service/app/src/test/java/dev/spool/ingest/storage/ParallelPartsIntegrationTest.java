package dev.spool.ingest.storage;

import static dev.spool.ingest.storage.StreamedFiles.chunks;
import static dev.spool.ingest.storage.StreamedFiles.randomBytes;
import static dev.spool.ingest.storage.StreamedFiles.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spool.infra.InfraEndpoints;
import dev.spool.ingest.TestSettings;
import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.content.ContentTypeDetector;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.publish.PublishProperties;
import dev.spool.ingest.resilience.DependencyGuard;
import dev.spool.ingest.s3.ObjectStore;
import dev.spool.testsupport.SharedInfra;
import dev.spool.testsupport.fault.FaultInjectingProxy;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * An upload's parts on their way to the real S3Proxy at once, through a proxy that can hold a part back: the parts
 * after a slow one go out meanwhile, within the window and the instance's budget, and the stored object and its
 * digest are the file's bytes in order even when S3 acknowledges the parts out of order.
 */
class ParallelPartsIntegrationTest {

    private static final int PART = 5 * 1024 * 1024;
    private static final FileChecks ACCEPT_ANY = new FileChecks() {
        @Override
        public void received(long bytes) {
        }

        @Override
        public String judge(String detectedType) {
            return detectedType;
        }
    };

    /** Parts are seen (by the holds' matchers) only while a hold is in place. */
    private static FaultInjectingProxy proxy;
    private static S3AsyncClient s3;
    private static StorageProperties storage;

    @BeforeAll
    static void connect() {
        InfraEndpoints infra = SharedInfra.get();
        URI target = URI.create(infra.s3Endpoint());
        proxy = FaultInjectingProxy.start(target.getHost(), target.getPort());
        storage = new StorageProperties(proxy.endpoint(), infra.s3Region(), infra.s3AccessKey(), infra.s3SecretKey(),
                true, "spool-uploads", "spool-text");
        s3 = new StorageConfiguration().s3AsyncClient(storage, TestSettings.resilience());
    }

    @AfterAll
    static void close() {
        s3.close();
        proxy.close();
    }

    @Test
    void partsAfterAHeldOneGoOutMeanwhileAndTheObjectIsTheFileInOrder() throws Exception {
        byte[] content = randomBytes(4 * PART + 777);
        String key = "uploads/" + UUID.randomUUID();
        Queue<Integer> partsRequested = new ConcurrentLinkedQueue<>();
        FaultInjectingProxy.Hold firstPart = holdFirstPart(key, partsRequested);

        Mono<FileIntake> stored = store(DataSize.ofMegabytes(64)).store(key, chunks(content), ACCEPT_ANY).cache();
        stored.subscribe();
        // Parts 2 to 4 fill the window of four while part 1 is held; part 5 (the tail) waits for part 1.
        await().atMost(Duration.ofSeconds(30)).until(() -> partsRequested.containsAll(List.of(1, 2, 3, 4)));
        assertThat(partsRequested).as("the window is four parts").doesNotContain(5);
        firstPart.release();

        FileIntake intake = stored.block(Duration.ofSeconds(60));
        assertThat(intake).isInstanceOfSatisfying(FileIntake.Stored.class, object -> {
            assertThat(object.object().size()).isEqualTo(content.length);
            assertThat(object.object().sha256()).isEqualTo(sha256(content));
        });
        byte[] read = s3.getObject(r -> r.bucket(storage.uploadBucket()).key(key), AsyncResponseTransformer.toBytes())
                .get().asByteArray();
        assertThat(sha256(read)).isEqualTo(sha256(content));
    }

    @Test
    void withNoBudgetForParallelPartsTheNextPartWaitsForTheOneInFlight() throws Exception {
        byte[] content = randomBytes(2 * PART + 1);
        String key = "uploads/" + UUID.randomUUID();
        Queue<Integer> partsRequested = new ConcurrentLinkedQueue<>();
        FaultInjectingProxy.Hold firstPart = holdFirstPart(key, partsRequested);

        Mono<FileIntake> stored = store(DataSize.ofBytes(0)).store(key, chunks(content), ACCEPT_ANY).cache();
        stored.subscribe();
        await().atMost(Duration.ofSeconds(30)).until(() -> partsRequested.contains(1));
        // Time for a second part to go out, had it been allowed to: the whole file is in memory already.
        Thread.sleep(1_000);
        assertThat(partsRequested).as("parts requested while part 1 is held").containsOnly(1);
        firstPart.release();

        assertThat(stored.block(Duration.ofSeconds(60))).isInstanceOfSatisfying(FileIntake.Stored.class,
                object -> assertThat(object.object().sha256()).isEqualTo(sha256(content)));
    }

    @Test
    void aPartFailingWhileLaterOnesAreStoredAbortsTheUploadAndGivesItsSlotsBack() throws Exception {
        byte[] content = randomBytes(4 * PART + 1);
        String key = "uploads/" + UUID.randomUUID();
        Queue<Integer> partsRequested = new ConcurrentLinkedQueue<>();
        FaultInjectingProxy.Hold firstPart = holdFirstPart(key, partsRequested);
        UploadStore store = store(DataSize.ofBytes(8L * PART));
        int free = store.parallelPartSlotsFree();

        Mono<FileIntake> stored = store.store(key, chunks(content), ACCEPT_ANY).cache();
        stored.subscribe(intake -> { }, failure -> { });
        await().atMost(Duration.ofSeconds(30)).until(() -> partsRequested.containsAll(List.of(1, 2, 3, 4)));
        assertThat(store.parallelPartSlotsFree()).as("slots taken by parts 2 to 4").isEqualTo(free - 3);
        // Not retryable: the part is lost for good, after parts 2 to 4 were stored.
        firstPart.fail(400);

        assertThatThrownBy(() -> stored.block(Duration.ofSeconds(60))).isInstanceOf(SpoolProblem.class);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(store.parallelPartSlotsFree()).as("slots given back").isEqualTo(free);
            assertThat(s3.listMultipartUploads(r -> r.bucket(storage.uploadBucket()).prefix(key)).get().uploads())
                    .isEmpty();
        });
        assertThat(s3.listObjectsV2(r -> r.bucket(storage.uploadBucket()).prefix(key)).get().contents()).isEmpty();
    }

    private static UploadStore store(DataSize parallelPartMemory) {
        DependencyGuard guard = TestSettings.guard();
        UploadStorageProperties uploads = TestSettings.uploadStorage(DataSize.ofBytes(PART), parallelPartMemory);
        return new UploadStore(s3, guard, new ObjectStore(s3, guard), new UploadDiscards(s3, uploads),
                new ContentTypeDetector(), storage, uploads, new PublishProperties(4, 200, DataSize.ofKilobytes(64)));
    }

    /** Holds part 1 of {@code key}'s upload, and notes every part requested while the hold is in place. */
    private static FaultInjectingProxy.Hold holdFirstPart(String key, Queue<Integer> partsRequested) {
        return proxy.hold(uri -> {
            Integer part = partNumber(uri, key);
            if (part != null) {
                partsRequested.add(part);
            }
            return Integer.valueOf(1).equals(part);
        });
    }

    /** The part number of an UploadPart request for {@code key}, else {@code null}. */
    private static Integer partNumber(URI uri, String key) {
        String query = uri.getRawQuery();
        if (query == null || !uri.getRawPath().endsWith(key)) {
            return null;
        }
        return Arrays.stream(query.split("&")).filter(pair -> pair.startsWith("partNumber="))
                .map(pair -> Integer.valueOf(pair.substring("partNumber=".length()))).findFirst().orElse(null);
    }
}
