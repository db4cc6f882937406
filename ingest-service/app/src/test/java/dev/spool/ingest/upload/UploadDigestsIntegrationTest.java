package dev.spool.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.JobEventsProbe;
import dev.spool.ingest.SampleFiles;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.testsupport.SharedInfra;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
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
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Client-sent digests of a multipart upload's file ({@code Content-MD5}, {@code Content-Digest}, {@code Repr-Digest})
 * against the real servers: a matching digest is accepted, a wrong one is refused with nothing stored and no job,
 * whether the file went to S3 in one put or in parts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spool.ingest.part-size=5MB",
    "spool.ratelimit.per-user.capacity=1000",
    "spool.ratelimit.per-ip.capacity=10000"
})
@AutoConfigureWebTestClient(timeout = "60s")
class UploadDigestsIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final String BUCKET = "spool-uploads";

    @Autowired
    private WebTestClient client;

    @Autowired
    private S3AsyncClient s3;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void matchingDigestsOfTheFileAreAcceptedAndTheJobCarriesItsSha256() throws Exception {
        String user = user();
        byte[] file = SampleFiles.text(6 * 1024 * 1024 + 17);

        String md5 = base64("MD5", file);
        String sha256 = base64("SHA-256", file);
        String sha512 = base64("SHA-512", file);
        upload(user, file, headers -> {
            headers.set("Content-MD5", md5);
            headers.set("Content-Digest", "sha-256=:" + sha256 + ":");
            headers.set("Repr-Digest", "sha-512=:" + sha512 + ":, md5=:AAAA:");
        })
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.jobs[0].sha256").isEqualTo(hex(file))
                .jsonPath("$.jobs[0].size").isEqualTo(file.length);

        assertThat(JobEventsProbe.acceptedFor(bootstrap(), user)).singleElement()
                .satisfies(job -> assertThat(job.sha256()).isEqualTo(hex(file)));
    }

    @Test
    void aWrongContentMd5OfASmallFileIsRefusedBeforeAnythingIsStored() throws Exception {
        byte[] file = SampleFiles.text(1000);
        byte[] other = SampleFiles.text(1001);

        String wrong = base64("MD5", other);
        expectRefused(file, headers -> headers.set("Content-MD5", wrong), 400, "digest_mismatch")
                .jsonPath("$.header").isEqualTo("Content-MD5");
    }

    @Test
    void aWrongReprDigestOfAFileStoredInPartsAbortsItsMultipartUpload() throws Exception {
        byte[] file = SampleFiles.text(11 * 1024 * 1024);
        byte[] changed = file.clone();
        changed[8 * 1024 * 1024] ^= 1;

        String wrong = "sha-256=:" + base64("SHA-256", changed) + ":";
        expectRefused(file, headers -> headers.set("Repr-Digest", wrong), 400, "digest_mismatch")
                .jsonPath("$.header").isEqualTo("Repr-Digest");
    }

    @Test
    void aContentDigestWithOnlyAnAlgorithmNotCheckedIsRefused() throws Exception {
        byte[] file = SampleFiles.text(1000);

        String md5Only = "md5=:" + base64("MD5", file) + ":";
        expectRefused(file, headers -> headers.set("Content-Digest", md5Only), 400, "checksum_algorithm_unsupported");
    }

    @Test
    void aDigestOfTheWrongLengthIsAMalformedRequest() throws Exception {
        byte[] file = SampleFiles.text(1000);

        String tooShort = "sha-256=:" + base64("MD5", file) + ":";
        expectRefused(file, headers -> headers.set("Content-Digest", tooShort), 400, "malformed_request");
    }

    @Test
    void aDigestWithSeveralFilesIsRefusedAsItCannotSayWhichFileItDescribes() throws Exception {
        String user = user();
        Snapshot before = snapshot();
        byte[] file = SampleFiles.text(1000);
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", file).filename("one.txt");
        body.part("file", file).filename("two.txt");

        client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user(user))
                .header("Content-MD5", base64("MD5", file))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("malformed_request");

        assertThat(snapshot()).isEqualTo(before);
        assertThat(JobEventsProbe.acceptedFor(bootstrap(), user)).isEmpty();
    }

    private WebTestClient.BodyContentSpec expectRefused(byte[] file, Consumer<HttpHeaders> digests,
            int status, String code) throws Exception {
        String user = user();
        Snapshot before = snapshot();
        WebTestClient.BodyContentSpec answer = upload(user, file, digests)
                .expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo(code)
                .jsonPath("$.detail").isNotEmpty();
        assertThat(snapshot()).isEqualTo(before);
        List<JobAccepted> jobs = JobEventsProbe.acceptedFor(bootstrap(), user);
        assertThat(jobs).isEmpty();
        return answer;
    }

    private WebTestClient.ResponseSpec upload(String user, byte[] file, Consumer<HttpHeaders> digests) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", file).filename("notes.txt").contentType(MediaType.TEXT_PLAIN);
        return client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user(user))
                .headers(digests)
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange();
    }

    private Snapshot snapshot() throws Exception {
        Set<String> objects = new HashSet<>();
        s3.listObjectsV2Paginator(r -> r.bucket(BUCKET)).subscribe(page -> page.contents().stream()
                .map(S3Object::key).forEach(objects::add)).get();
        List<String> uploads = new ArrayList<>();
        for (MultipartUpload upload : s3.listMultipartUploads(r -> r.bucket(BUCKET)).get().uploads()) {
            uploads.add(upload.key() + "#" + upload.uploadId());
        }
        return new Snapshot(objects, new HashSet<>(uploads));
    }

    private static String base64(String algorithm, byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance(algorithm).digest(bytes));
    }

    private static String hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String user() {
        return "user-" + UUID.randomUUID();
    }

    private static String bootstrap() {
        return SharedInfra.get().kafkaBootstrapServers();
    }

    private record Snapshot(Set<String> objects, Set<String> multipartUploads) {
    }
}
