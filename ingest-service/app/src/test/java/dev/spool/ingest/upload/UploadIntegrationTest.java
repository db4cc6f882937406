package dev.spool.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.testsupport.SharedInfra;
import dev.spool.ingest.JobEventsProbe;
import dev.spool.ingest.SampleFiles;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.idempotency.IdempotencyStore;
import dev.spool.schemas.event.JobAccepted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The upload rules over HTTP against the real embedded servers: limits while streaming, content validation,
 * per-file answers, idempotency, and many concurrent uploads. Limits are lowered so that crossing them is cheap.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spool.ingest.part-size=5MB",
    "spool.ingest.max-file-size=6MB",
    "spool.ingest.max-request-size=8MB",
    "spool.ingest.max-files=3",
    "spool.ratelimit.per-user.capacity=1000",
    "spool.ratelimit.per-ip.capacity=10000",
    "spool.ingest.idempotency-lock-ttl=3s"
})
@AutoConfigureWebTestClient(timeout = "60s")
class UploadIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final String BUCKET = "spool-uploads";
    private static final Duration LEASE = Duration.ofSeconds(3);

    @Autowired
    private WebTestClient client;

    @Autowired
    private S3AsyncClient s3;

    @Autowired
    private IdempotencyStore idempotency;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void anOversizeFileIs413WithTheLimitAndLeavesNothingBehind() throws Exception {
        String user = user();
        StorageSnapshot before = snapshot();
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", SampleFiles.text(7 * 1024 * 1024)).filename("big.txt").contentType(MediaType.TEXT_PLAIN);

        client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, bearer(user))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("file_too_large")
                .jsonPath("$.limitBytes").isEqualTo(6 * 1024 * 1024)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("6 MiB"));

        assertThat(snapshot()).isEqualTo(before);
        assertThat(JobEventsProbe.acceptedFor(bootstrap(), user)).isEmpty();
    }

    @Test
    void filesTogetherOverTheRequestLimitAre413AndNoneIsKept() throws Exception {
        String user = user();
        StorageSnapshot before = snapshot();
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", SampleFiles.text(5 * 1024 * 1024)).filename("one.txt");
        body.part("file", SampleFiles.text(5 * 1024 * 1024)).filename("two.txt");

        client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, bearer(user))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("request_too_large");

        assertThat(snapshot()).isEqualTo(before);
        assertThat(JobEventsProbe.acceptedFor(bootstrap(), user)).isEmpty();
    }

    @Test
    void tooManyFilesIs413() {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        for (int i = 0; i < 4; i++) {
            body.part("file", SampleFiles.text(100)).filename("f" + i + ".txt");
        }

        client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, bearer(user()))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("too_many_files").jsonPath("$.limitFiles").isEqualTo(3);
    }

    @Test
    void anExecutableNamedLikeAPdfIsAnUnsupportedType() {
        expectRefused(SampleFiles.elf(), "report.pdf", MediaType.APPLICATION_PDF, "unsupported_type")
                .jsonPath("$.detectedType").isEqualTo("application/x-executable");
    }

    @Test
    void aPngNamedLikeAPdfIsATypeMismatch() {
        expectRefused(SampleFiles.png(), "scan.pdf", null, "type_mismatch")
                .jsonPath("$.detectedType").isEqualTo("image/png")
                .jsonPath("$.claimedType").isEqualTo("application/pdf");
    }

    @Test
    void aZipArchiveIsAnUnsupportedType() {
        expectRefused(SampleFiles.zip(), "notes.zip", null, "unsupported_type");
    }

    @Test
    void anEmptyFileIs400() {
        expectRefused(new byte[0], "empty.txt", MediaType.TEXT_PLAIN, "empty_file");
    }

    @Test
    void realDocumentsOfEveryAcceptedKindAre202WithTheirDetectedTypes() {
        String user = user();
        Map<String, byte[]> files = Map.of(
                "q3.pdf", SampleFiles.pdf("Quarterly figures"),
                "letter.docx", SampleFiles.docx("Dear reader"),
                "sheet.xlsx", SampleFiles.xlsx("42"),
                "chart.png", SampleFiles.png(),
                "notes.txt", SampleFiles.utf16Text("Grüße aus Köln — UTF-16 with a byte-order mark"));
        Map<String, String> expected = Map.of(
                "q3.pdf", "application/pdf",
                "letter.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "sheet.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "chart.png", "image/png",
                "notes.txt", "text/plain");

        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            MultipartBodyBuilder body = new MultipartBodyBuilder();
            body.part("file", file.getValue()).filename(file.getKey());
            client.post().uri("/api/v1/uploads")
                    .header(HttpHeaders.AUTHORIZATION, bearer(user))
                    .body(BodyInserters.fromMultipartData(body.build()))
                    .exchange()
                    .expectStatus().isAccepted()
                    .expectBody()
                    .jsonPath("$.jobs[0].filename").isEqualTo(file.getKey())
                    .jsonPath("$.jobs[0].contentType").isEqualTo(expected.get(file.getKey()))
                    .jsonPath("$.jobs[0].size").isEqualTo(file.getValue().length)
                    .jsonPath("$.rejected").isEmpty();
        }
        assertThat(JobEventsProbe.acceptedFor(bootstrap(), user)).extracting(JobAccepted::contentType)
                .containsExactlyInAnyOrderElementsOf(expected.values());
    }

    @Test
    void oneBadFileDoesNotSinkTheOthersAndEachFileIsAnswered() {
        String user = user();
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", SampleFiles.pdf("kept")).filename("good.pdf");
        body.part("file", SampleFiles.elf()).filename("tool.pdf");
        body.part("file", SampleFiles.text(300)).filename("readme.txt");

        client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, bearer(user))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.jobs.length()").isEqualTo(2)
                .jsonPath("$.jobs[0].index").isEqualTo(0)
                .jsonPath("$.jobs[1].index").isEqualTo(2)
                .jsonPath("$.rejected.length()").isEqualTo(1)
                .jsonPath("$.rejected[0].index").isEqualTo(1)
                .jsonPath("$.rejected[0].filename").isEqualTo("tool.pdf")
                .jsonPath("$.rejected[0].status").isEqualTo(415)
                .jsonPath("$.rejected[0].code").isEqualTo("unsupported_type");

        assertThat(JobEventsProbe.acceptedFor(bootstrap(), user)).extracting(JobAccepted::filename)
                .containsExactlyInAnyOrder("good.pdf", "readme.txt");
    }

    @Test
    void repeatingARequestWithItsIdempotencyKeyReturnsTheSameJobsAndCreatesNone() {
        String user = user();
        String key = UUID.randomUUID().toString();
        byte[] pdf = SampleFiles.pdf("once only");

        idempotentUpload(user, key, pdf, "once.pdf")
                .expectStatus().isAccepted()
                .expectHeader().doesNotExist("Idempotent-Replayed");
        String first = jobId(user);
        idempotentUpload(user, key, pdf, "once.pdf")
                .expectStatus().isAccepted()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().jsonPath("$.jobs[0].jobId").isEqualTo(first);

        idempotentUpload(user, key, SampleFiles.pdf("something else"), "once.pdf")
                .expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("idempotency_key_reused");

        assertThat(JobEventsProbe.acceptedFor(bootstrap(), user)).hasSize(1);
    }

    @Test
    void anIdempotencyKeyBelongsToItsUser() {
        String key = UUID.randomUUID().toString();
        String alice = user();
        String bob = user();
        byte[] pdf = SampleFiles.pdf("shared key");

        idempotentUpload(alice, key, pdf, "a.pdf").expectStatus().isAccepted()
                .expectHeader().doesNotExist("Idempotent-Replayed");
        idempotentUpload(bob, key, pdf, "a.pdf").expectStatus().isAccepted()
                .expectHeader().doesNotExist("Idempotent-Replayed");

        assertThat(JobEventsProbe.acceptedFor(bootstrap(), alice)).hasSize(1);
        assertThat(JobEventsProbe.acceptedFor(bootstrap(), bob)).hasSize(1);
    }

    /**
     * A claim whose request is gone, as an instance killed mid-upload leaves it: the retry is told to come back when
     * the claim lapses (not a fixed delay later), and is accepted then.
     */
    @Test
    void aKeyHeldByACrashedRequestIsFreeOnceItsRetryAfterHasPassed() throws InterruptedException {
        String user = user();
        String key = UUID.randomUUID().toString();
        byte[] pdf = SampleFiles.pdf("cut off by a crash");
        assertThat(idempotency.claim(user, key).block(Duration.ofSeconds(5)))
                .isInstanceOf(IdempotencyStore.Claim.Acquired.class);

        String retryAfter = idempotentUpload(user, key, pdf, "crashed.pdf")
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("idempotency_key_in_use")
                .returnResult().getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER);

        assertThat(Long.parseLong(retryAfter)).isBetween(1L, LEASE.toSeconds());
        Thread.sleep(Duration.ofSeconds(Long.parseLong(retryAfter)).toMillis());
        idempotentUpload(user, key, pdf, "crashed.pdf").expectStatus().isAccepted()
                .expectHeader().doesNotExist("Idempotent-Replayed");
        assertThat(JobEventsProbe.acceptedFor(bootstrap(), user)).hasSize(1);
    }

    @Test
    void aMalformedIdempotencyKeyIs400() {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", SampleFiles.text(10)).filename("a.txt");
        client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, bearer(user()))
                .header("Idempotency-Key", "has spaces in it")
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("invalid_idempotency_key");
    }

    @Test
    void aHundredConcurrentUploadsFromTenUsersAreAllAcceptedWithUniqueJobIds() {
        List<String> users = IntStream.range(0, 10).mapToObj(i -> user()).toList();
        byte[] megabyte = SampleFiles.text(1024 * 1024);

        List<String> jobIds = Flux.range(0, 100)
                .flatMap(i -> {
                    MultipartBodyBuilder body = new MultipartBodyBuilder();
                    body.part("file", megabyte).filename("doc-" + i + ".txt");
                    return client.post().uri("/api/v1/uploads")
                            .header(HttpHeaders.AUTHORIZATION, bearer(users.get(i % users.size())))
                            .body(BodyInserters.fromMultipartData(body.build()))
                            .exchange()
                            .returnResult(UploadAnswer.class)
                            .getResponseBody()
                            .single()
                            .subscribeOn(Schedulers.boundedElastic());
                }, 100)
                .map(answer -> answer.jobs().get(0).jobId())
                .collectList()
                .block(Duration.ofMinutes(3));

        assertThat(jobIds).hasSize(100);
        assertThat(new HashSet<>(jobIds)).hasSize(100);
        int total = users.stream().mapToInt(user -> JobEventsProbe.acceptedFor(bootstrap(), user).size()).sum();
        assertThat(total).isEqualTo(100);
    }

    private WebTestClient.BodyContentSpec expectRefused(byte[] content, String filename, MediaType declared, String code) {
        String user = user();
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        var part = body.part("file", content).filename(filename);
        if (declared != null) {
            part.contentType(declared);
        }
        WebTestClient.BodyContentSpec answer = client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, bearer(user))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange()
                .expectStatus().isEqualTo("empty_file".equals(code) ? 400 : 415)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo(code)
                .jsonPath("$.filename").isEqualTo(filename);
        assertThat(JobEventsProbe.acceptedFor(bootstrap(), user)).isEmpty();
        return answer;
    }

    private WebTestClient.ResponseSpec idempotentUpload(String user, String key, byte[] content, String filename) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", content).filename(filename);
        return client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, bearer(user))
                .header("Idempotency-Key", key)
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange();
    }

    private static String jobId(String user) {
        List<JobAccepted> accepted = JobEventsProbe.acceptedFor(bootstrap(), user);
        assertThat(accepted).hasSize(1);
        return accepted.get(0).jobId();
    }

    private StorageSnapshot snapshot() throws ExecutionException, InterruptedException {
        Set<String> objects = new HashSet<>();
        s3.listObjectsV2Paginator(r -> r.bucket(BUCKET)).subscribe(page -> page.contents().stream()
                .map(S3Object::key).forEach(objects::add)).get();
        List<String> uploads = new ArrayList<>();
        for (MultipartUpload upload : s3.listMultipartUploads(r -> r.bucket(BUCKET)).get().uploads()) {
            uploads.add(upload.key() + "#" + upload.uploadId());
        }
        return new StorageSnapshot(objects, new HashSet<>(uploads));
    }

    private static String user() {
        return "user-" + UUID.randomUUID();
    }

    private static String bearer(String user) {
        return "Bearer " + ISSUER.user(user);
    }

    private static String bootstrap() {
        return SharedInfra.get().kafkaBootstrapServers();
    }

    /** Every object and open multipart upload in the uploads bucket. */
    private record StorageSnapshot(Set<String> objects, Set<String> multipartUploads) {
    }

    /** The upload answer as a client reads it. */
    record UploadAnswer(List<Job> jobs) {

        record Job(String jobId, String filename) {
        }
    }
}
