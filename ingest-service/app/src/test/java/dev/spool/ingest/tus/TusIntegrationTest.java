package dev.spool.ingest.tus;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import dev.spool.ingest.JobEventsProbe;
import dev.spool.ingest.SampleFiles;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.view.ViewStorage;
import dev.spool.testsupport.SharedInfra;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The tus protocol against real Kafka, S3Proxy, Mongo-wire and Redis servers, request by request: what a client
 * sees in every status and header, and what is left in S3, MongoDB and Kafka afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spool.ingest.part-size=5MB", "spool.ingest.tus.max-size=64MB", "spool.ingest.tus.detection-bytes=64KB",
    "spool.ingest.cors.allowed-origins=https://app.example.com"})
class TusIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final int MIB = 1024 * 1024;
    private static final String BUCKET = "spool-uploads";

    @LocalServerPort
    private int port;

    @Autowired
    private S3AsyncClient s3;

    @Autowired
    private MongoClient mongo;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void optionsAnnouncesVersionExtensionsLimitAndChecksumsWithoutAToken() {
        HttpResponse<String> options = client().options();

        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(header(options, "Tus-Resumable")).isEqualTo("1.0.0");
        assertThat(header(options, "Tus-Version")).isEqualTo("1.0.0");
        assertThat(header(options, "Tus-Extension")).isEqualTo(
                "creation,creation-with-upload,creation-defer-length,expiration,termination,checksum");
        assertThat(header(options, "Tus-Max-Size")).isEqualTo(Long.toString(64L * MIB));
        assertThat(header(options, "Tus-Checksum-Algorithm")).isEqualTo("sha256,sha1,md5");
    }

    @Test
    void aRequestWithoutTusResumableIsRefusedWith412AndTheVersionsServed() {
        HttpResponse<String> response = client().send(HttpRequest.newBuilder(URI.create(client().endpoint()))
                .header("Authorization", "Bearer " + ISSUER.user("alice"))
                .header("Upload-Length", "10")
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(header(response, "Tus-Version")).isEqualTo("1.0.0");
        assertThat(header(response, "Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.body()).contains("\"code\":\"tus_version_unsupported\"");
    }

    @Test
    void chunksSmallerThanAPartAreStagedAndTheUploadCompletesIntoOneJob() throws Exception {
        String user = "tus-" + UUID.randomUUID();
        String token = ISSUER.user(user);
        byte[] file = SampleFiles.text(13 * MIB + 12_345);
        TusClient tus = client();
        HttpResponse<String> created = tus.create(token, (long) file.length,
                Map.of("filename", "big notes.txt", "filetype", "text/plain"));
        assertThat(created.statusCode()).isEqualTo(201);
        String url = header(created, "Location");
        assertThat(url).startsWith("http://localhost:" + port + "/api/v1/tus/");
        assertThat(header(created, "Upload-Expires")).endsWith("GMT");

        int chunk = 3 * MIB + 7;
        long offset = 0;
        HttpResponse<String> last = null;
        while (offset < file.length) {
            int end = (int) Math.min(file.length, offset + chunk);
            last = tus.patch(url, token, offset, Arrays.copyOfRange(file, (int) offset, end));
            assertThat(last.statusCode()).as(last.body()).isEqualTo(204);
            assertThat(header(last, "Upload-Offset")).isEqualTo(Integer.toString(end));
            HttpResponse<String> head = tus.head(url, token);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(header(head, "Upload-Offset")).isEqualTo(Integer.toString(end));
            assertThat(header(head, "Upload-Length")).isEqualTo(Integer.toString(file.length));
            assertThat(header(head, "Cache-Control")).isEqualTo("no-store");
            offset = end;
        }

        String jobId = header(last, "Spool-Job-Id");
        assertThat(url).endsWith("/" + jobId);
        assertThat(header(last, "Spool-Status-Url")).isEqualTo("/api/v1/jobs/" + jobId);
        assertThat(header(last, "Spool-Events-Url")).isEqualTo("/api/v1/jobs/" + jobId + "/events");
        assertThat(stored("uploads/" + jobId)).isEqualTo(file);
        assertThat(exists("tus-staging/" + jobId)).isFalse();
        List<JobAccepted> jobs = JobEventsProbe.acceptedFor(SharedInfra.get().kafkaBootstrapServers(), user);
        assertThat(jobs).singleElement().satisfies(job -> {
            assertThat(job.jobId()).isEqualTo(jobId);
            assertThat(job.filename()).isEqualTo("big notes.txt");
            assertThat(job.size()).isEqualTo(file.length);
            assertThat(job.sha256()).isEqualTo(sha256(file));
            assertThat(job.contentType()).startsWith("text/plain");
            assertThat(job.priority()).isEqualTo(Priority.NORMAL);
        });

        HttpResponse<String> retried = tus.patch(url, token, file.length, new byte[0]);
        assertThat(retried.statusCode()).isEqualTo(204);
        assertThat(header(retried, "Spool-Job-Id")).isEqualTo(jobId);
        assertThat(JobEventsProbe.acceptedFor(SharedInfra.get().kafkaBootstrapServers(), user)).hasSize(1);
    }

    @Test
    void creationWithUploadAndADeferredLengthBothComplete() throws Exception {
        String user = "tus-" + UUID.randomUUID();
        String token = ISSUER.user(user);
        TusClient tus = client();
        byte[] pdf = SampleFiles.pdf("Resumable in one request");

        HttpResponse<String> oneShot = tus.createWithUpload(token, pdf, Map.of("filename", "one.pdf"));
        assertThat(oneShot.statusCode()).as(oneShot.body()).isEqualTo(201);
        assertThat(header(oneShot, "Upload-Offset")).isEqualTo(Integer.toString(pdf.length));
        assertThat(header(oneShot, "Spool-Job-Id")).isNotBlank();

        byte[] text = SampleFiles.text(200_000);
        HttpResponse<String> deferred = tus.create(token, null, Map.of("filename", "later.txt"));
        String url = header(deferred, "Location");
        assertThat(header(tus.head(url, token), "Upload-Defer-Length")).isEqualTo("1");
        assertThat(tus.patch(url, token, 0, Arrays.copyOf(text, 100_000)).statusCode()).isEqualTo(204);
        HttpResponse<String> last = tus.patch(url, token, 100_000, Arrays.copyOfRange(text, 100_000, text.length),
                Map.of("Upload-Length", Integer.toString(text.length)));
        assertThat(last.statusCode()).as(last.body()).isEqualTo(204);
        assertThat(stored("uploads/" + header(last, "Spool-Job-Id"))).isEqualTo(text);

        assertThat(JobEventsProbe.acceptedFor(SharedInfra.get().kafkaBootstrapServers(), user))
                .extracting(JobAccepted::filename).containsExactlyInAnyOrder("one.pdf", "later.txt");
    }

    @Test
    void aWrongChecksumIs460AndKeepsNothingOfTheRequest() throws Exception {
        String token = ISSUER.user("tus-" + UUID.randomUUID());
        TusClient tus = client();
        byte[] file = SampleFiles.text(7 * MIB);
        String url = header(tus.create(token, (long) file.length, Map.of("filename", "sum.txt")), "Location");
        byte[] first = Arrays.copyOf(file, 6 * MIB);

        HttpResponse<String> wrong = tus.patch(url, token, 0, first,
                Map.of("Upload-Checksum", TusClient.checksum("sha256", "something else".getBytes())));
        assertThat(wrong.statusCode()).isEqualTo(460);
        assertThat(wrong.body()).contains("\"code\":\"checksum_mismatch\"");
        assertThat(header(tus.head(url, token), "Upload-Offset")).isEqualTo("0");

        HttpResponse<String> unknown = tus.patch(url, token, 0, first, Map.of("Upload-Checksum", "crc32 AAAA"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("\"code\":\"checksum_algorithm_unsupported\"");

        HttpResponse<String> right = tus.patch(url, token, 0, first,
                Map.of("Upload-Checksum", TusClient.checksum("sha256", first)));
        assertThat(right.statusCode()).isEqualTo(204);
        assertThat(header(right, "Upload-Offset")).isEqualTo(Integer.toString(first.length));
        byte[] rest = Arrays.copyOfRange(file, first.length, file.length);
        HttpResponse<String> last = tus.patch(url, token, first.length, rest,
                Map.of("Upload-Checksum", TusClient.checksum("md5", rest)));
        assertThat(last.statusCode()).isEqualTo(204);
        assertThat(stored("uploads/" + header(last, "Spool-Job-Id"))).isEqualTo(file);
    }

    @Test
    void onlyTheCreatorCanReadResumeOrTerminate() {
        String owner = ISSUER.user("tus-" + UUID.randomUUID());
        String other = ISSUER.user("tus-" + UUID.randomUUID());
        TusClient tus = client();
        byte[] file = SampleFiles.text(100_000);
        String url = header(tus.create(owner, (long) file.length, Map.of()), "Location");
        assertThat(tus.patch(url, owner, 0, Arrays.copyOf(file, 50_000)).statusCode()).isEqualTo(204);

        for (HttpResponse<String> refused : List.of(tus.head(url, other),
                tus.patch(url, other, 50_000, Arrays.copyOfRange(file, 50_000, file.length)), tus.delete(url, other))) {
            assertThat(refused.statusCode()).isEqualTo(403);
        }
        assertThat(tus.patch(url, other, 50_000, new byte[1]).body()).contains("\"code\":\"not_owner\"");
        assertThat(header(tus.head(url, owner), "Upload-Offset")).isEqualTo("50000");
        assertThat(tus.head(url, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aSecondPatchWhileOneIsWritingIsRefusedAsLockedAndTheFirstCompletes() throws Exception {
        String token = ISSUER.user("tus-" + UUID.randomUUID());
        TusClient tus = client();
        byte[] file = SampleFiles.text(2 * MIB);
        String url = header(tus.create(token, (long) file.length, Map.of()), "Location");
        CountDownLatch firstBytesSent = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> tus.patch(url, token, 0,
                () -> new HeldStream(file, 256 * 1024, firstBytesSent, released), file.length, Map.of()));
        assertThat(firstBytesSent.await(10, TimeUnit.SECONDS)).isTrue();
        String id = url.substring(url.lastIndexOf('/') + 1);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> uploadRecord(id).getString("lockToken") != null);

        HttpResponse<String> second = tus.patch(url, token, 0, file);
        released.countDown();

        assertThat(second.statusCode()).isEqualTo(423);
        assertThat(second.body()).contains("\"code\":\"upload_locked\"");
        assertThat(header(second, "Retry-After")).isEqualTo("2");
        HttpResponse<String> first = slow.get(30, TimeUnit.SECONDS);
        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(header(first, "Spool-Job-Id")).isNotBlank();
    }

    @Test
    void aWrongOffsetIs409WithTheOffsetToResumeFrom() {
        String token = ISSUER.user("tus-" + UUID.randomUUID());
        TusClient tus = client();
        byte[] file = SampleFiles.text(100_000);
        String url = header(tus.create(token, (long) file.length, Map.of()), "Location");
        tus.patch(url, token, 0, Arrays.copyOf(file, 10_000));

        HttpResponse<String> mismatch = tus.patch(url, token, 5_000, Arrays.copyOfRange(file, 5_000, 20_000));

        assertThat(mismatch.statusCode()).isEqualTo(409);
        assertThat(mismatch.body()).contains("\"code\":\"offset_mismatch\"").contains("\"offset\":10000");
        assertThat(header(mismatch, "Upload-Offset")).isEqualTo("10000");
    }

    @Test
    void aRefusedTypeEndsTheUploadOnceItsFirstBytesArriveLeavingNothingBehind() throws Exception {
        String token = ISSUER.user("tus-" + UUID.randomUUID());
        TusClient tus = client();
        byte[] binary = new byte[12 * MIB];
        new java.util.Random(7).nextBytes(binary);
        String url = header(tus.create(token, (long) binary.length, Map.of("filename", "blob.bin")), "Location");
        String id = url.substring(url.lastIndexOf('/') + 1);
        assertThat(tus.patch(url, token, 0, Arrays.copyOf(binary, 32 * 1024)).statusCode()).isEqualTo(204);
        assertThat(exists("tus-staging/" + id)).isTrue();

        HttpResponse<String> refused = tus.patch(url, token, 32 * 1024, Arrays.copyOfRange(binary, 32 * 1024,
                binary.length));

        assertThat(refused.statusCode()).isEqualTo(415);
        assertThat(refused.body()).contains("\"code\":\"unsupported_type\"");
        assertThat(tus.head(url, token).statusCode()).isEqualTo(404);
        assertThat(exists("tus-staging/" + id)).isFalse();
        assertThat(exists("uploads/" + id)).isFalse();
        assertThat(uploadRecord(id)).isNull();
    }

    @Test
    void limitsAreCheckedAtCreationAndWhileBytesArrive() {
        String token = ISSUER.user("tus-" + UUID.randomUUID());
        TusClient tus = client();

        HttpResponse<String> tooLarge = tus.create(token, 65L * MIB, Map.of());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("\"code\":\"file_too_large\"").contains("\"limitBytes\":" + 64L * MIB);

        HttpResponse<String> empty = tus.create(token, 0L, Map.of());
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("\"code\":\"empty_file\"");

        HttpResponse<String> badMetadata = tus.send(TusClient.tus(URI.create(tus.endpoint()), token)
                .header("Upload-Length", "10").header("Upload-Metadata", "filename not-base64!")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(badMetadata.statusCode()).isEqualTo(400);
        assertThat(badMetadata.body()).contains("\"code\":\"invalid_upload_metadata\"");

        String url = header(tus.create(token, 1000L, Map.of()), "Location");
        HttpResponse<String> overflow = tus.patch(url, token, 0, SampleFiles.text(1001));
        assertThat(overflow.statusCode()).isEqualTo(413);
        assertThat(overflow.body()).contains("\"code\":\"upload_length_exceeded\"");
    }

    @Test
    void terminationDiscardsTheMultipartUploadAndTheRecord() throws Exception {
        String token = ISSUER.user("tus-" + UUID.randomUUID());
        TusClient tus = client();
        byte[] file = SampleFiles.text(12 * MIB);
        String url = header(tus.create(token, (long) file.length, Map.of()), "Location");
        String id = url.substring(url.lastIndexOf('/') + 1);
        assertThat(tus.patch(url, token, 0, Arrays.copyOf(file, 6 * MIB)).statusCode()).isEqualTo(204);
        String s3UploadId = uploadRecord(id).getString("s3UploadId");
        assertThat(s3UploadId).isNotNull();
        assertThat(partsOf(id, s3UploadId)).isEqualTo(1);
        assertThat(openMultipartUploads(id)).containsExactly(s3UploadId);

        HttpResponse<String> deleted = tus.delete(url, token);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(tus.head(url, token).statusCode()).isEqualTo(404);
        assertThat(uploadRecord(id)).isNull();
        assertThat(openMultipartUploads(id)).isEmpty();
        assertThat(exists("tus-staging/" + id)).isFalse();
    }

    @Test
    void methodOverrideLetsAPostCarryAPatch() {
        String token = ISSUER.user("tus-" + UUID.randomUUID());
        TusClient tus = client();
        byte[] file = SampleFiles.text(1000);
        String url = header(tus.create(token, (long) file.length, Map.of()), "Location");

        HttpResponse<String> overridden = tus.send(TusClient.tus(URI.create(url), token)
                .header("X-HTTP-Method-Override", "PATCH")
                .header("Upload-Offset", "0")
                .header("Content-Type", TusHeaders.OFFSET_OCTET_STREAM)
                .POST(HttpRequest.BodyPublishers.ofByteArray(file)));

        assertThat(overridden.statusCode()).as(overridden.body()).isEqualTo(204);
        assertThat(header(overridden, "Spool-Job-Id")).isNotBlank();
    }

    @Test
    void aBrowserOnAnAllowedOriginMayUseTheApiAndReadTheTusHeaders() {
        HttpResponse<String> preflight = client().send(HttpRequest.newBuilder(URI.create(client().endpoint()))
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization,tus-resumable,upload-offset,content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(header(preflight, "Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(header(preflight, "Access-Control-Allow-Methods")).contains("PATCH");

        HttpResponse<String> created = client().send(TusClient.tus(URI.create(client().endpoint()),
                        ISSUER.user("tus-" + UUID.randomUUID()))
                .header("Origin", "https://app.example.com")
                .header("Upload-Length", "10")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(header(created, "Access-Control-Expose-Headers"))
                .contains("Location", "Upload-Offset", "Upload-Expires", "Tus-Resumable", "Spool-Job-Id", "Retry-After");

        HttpResponse<String> foreign = client().send(HttpRequest.newBuilder(URI.create(client().endpoint()))
                .header("Origin", "https://evil.example.net")
                .header("Access-Control-Request-Method", "PATCH")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(header(foreign, "Access-Control-Allow-Origin")).isNull();
    }

    private TusClient client() {
        return new TusClient(port);
    }

    private Document uploadRecord(String id) {
        return Mono.from(mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(TusUploadStore.COLLECTION)
                .find(Filters.eq("_id", id)).first()).block();
    }

    private int partsOf(String id, String s3UploadId) throws Exception {
        return s3.listParts(r -> r.bucket(BUCKET).key("uploads/" + id).uploadId(s3UploadId)).get().parts().size();
    }

    private List<String> openMultipartUploads(String id) throws Exception {
        return s3.listMultipartUploads(r -> r.bucket(BUCKET).prefix("uploads/" + id)).get().uploads().stream()
                .map(upload -> upload.uploadId()).toList();
    }

    private byte[] stored(String key) throws Exception {
        return s3.getObject(r -> r.bucket(BUCKET).key(key), AsyncResponseTransformer.toBytes()).get().asByteArray();
    }

    private boolean exists(String key) throws InterruptedException {
        try {
            s3.headObject(r -> r.bucket(BUCKET).key(key)).get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NoSuchKeyException
                    || e.getCause() instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e
                    && s3e.statusCode() == 404) {
                return false;
            }
            throw new IllegalStateException(e);
        }
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A body that sends its first chunk, then waits to be released before sending the rest. */
    private static final class HeldStream extends InputStream {

        private final ByteArrayInputStream bytes;
        private final int firstChunk;
        private final CountDownLatch firstSent;
        private final CountDownLatch released;
        private int sent;

        HeldStream(byte[] content, int firstChunk, CountDownLatch firstSent, CountDownLatch released) {
            this.bytes = new ByteArrayInputStream(content);
            this.firstChunk = firstChunk;
            this.firstSent = firstSent;
            this.released = released;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (sent >= firstChunk) {
                firstSent.countDown();
                try {
                    if (!released.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            int allowed = sent < firstChunk ? Math.min(length, firstChunk - sent) : length;
            int read = bytes.read(target, offset, allowed);
            if (read > 0) {
                sent += read;
            }
            return read;
        }
    }
}
