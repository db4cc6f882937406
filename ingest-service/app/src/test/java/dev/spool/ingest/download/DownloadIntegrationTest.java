package dev.spool.ingest.download;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.reactivestreams.client.MongoClient;
import dev.spool.ingest.StoredViews;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import tools.jackson.databind.JsonNode;

/**
 * Downloads against the real embedded S3 (S3Proxy, which checks signatures): the owner's {@code 302} leads any
 * client without credentials to exactly the stored bytes, named and typed for saving; nobody else learns the job
 * exists.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DownloadIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    /** The JDK client: it sends no credentials, follows no redirect and undoes no content encoding by itself. */
    private static final HttpClient PLAIN = HttpClient.newHttpClient();

    @Autowired
    private WebTestClient client;

    @Autowired
    private S3AsyncClient s3;

    @Autowired
    private MongoClient mongo;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void theOwnersRedirectLeadsToExactlyTheUploadedBytesSavedUnderTheirName() throws Exception {
        byte[] file = "Minutes of the heron committee\n".repeat(300).getBytes(StandardCharsets.UTF_8);
        String jobId = upload("alice", file, "minutes.txt");

        URI location = redirect("/api/v1/jobs/" + jobId + "/original", ISSUER.user("alice"));
        HttpResponse<byte[]> fetched = fetch(location);

        assertThat(location.getQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=900");
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(file);
        assertThat(fetched.headers().firstValue(HttpHeaders.CONTENT_DISPOSITION))
                .contains("attachment; filename=\"minutes.txt\"");
        assertThat(fetched.headers().firstValue(HttpHeaders.CONTENT_TYPE)).hasValueSatisfying(
                type -> assertThat(MediaType.parseMediaType(type).isCompatibleWith(MediaType.TEXT_PLAIN)).isTrue());
    }

    @Test
    void theTextDownloadsAsAGzipEncodedTxtFileThatDecodesToTheText() throws Exception {
        String text = "Kompressiert — und zurück\n".repeat(2000);
        JobView view = completedWithText("erin", "Bericht Q3.pdf", text);

        HttpResponse<byte[]> fetched = fetch(redirect("/api/v1/jobs/" + view.jobId() + "/text/download",
                ISSUER.user("erin")));

        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.headers().firstValue(HttpHeaders.CONTENT_ENCODING)).contains("gzip");
        assertThat(fetched.headers().firstValue(HttpHeaders.CONTENT_TYPE).map(MediaType::parseMediaType))
                .hasValueSatisfying(type -> assertThat(type.equalsTypeAndSubtype(MediaType.TEXT_PLAIN)
                        && StandardCharsets.UTF_8.equals(type.getCharset())).isTrue());
        assertThat(fetched.headers().firstValue(HttpHeaders.CONTENT_DISPOSITION))
                .contains("attachment; filename=\"Bericht Q3.txt\"");
        assertThat(gunzip(fetched.body())).isEqualTo(text);
    }

    @Test
    void anotherUsersJobIsExactlyAsUnknownAsAJobThatDoesNotExist() throws Exception {
        String jobId = upload("bob", "Bob's own notes\n".getBytes(StandardCharsets.UTF_8), "bob.txt");
        JobView texted = completedWithText("bob", "bob.pdf", "Bob's text\n");
        String mallory = ISSUER.user("mallory");

        JsonNode unknown = problem("/api/v1/jobs/" + UUID.randomUUID() + "/original", mallory, HttpStatus.NOT_FOUND);
        JsonNode foreignOriginal = problem("/api/v1/jobs/" + jobId + "/original", mallory, HttpStatus.NOT_FOUND);
        JsonNode foreignText = problem("/api/v1/jobs/" + texted.jobId() + "/text/download?redirect=false", mallory,
                HttpStatus.NOT_FOUND);

        for (JsonNode refusal : List.of(foreignOriginal, foreignText)) {
            assertThat(refusal.get("code").asString()).isEqualTo("job_not_found");
            assertThat(refusal.get("title")).isEqualTo(unknown.get("title"));
            assertThat(refusal.get("detail")).isEqualTo(unknown.get("detail"));
            assertThat(refusal.propertyNames()).containsExactlyElementsOf(unknown.propertyNames());
        }
        String admin = ISSUER.token("root", "premium", List.of("admin"));
        assertThat(fetch(redirect("/api/v1/jobs/" + jobId + "/original", admin)).statusCode()).isEqualTo(200);
    }

    @Test
    void aJobWithoutItsTextYetIs409AndItsOriginalIsAlreadyThere() throws Exception {
        byte[] file = "Still queued\n".getBytes(StandardCharsets.UTF_8);
        String jobId = upload("carol", file, "queued.txt");
        String carol = ISSUER.user("carol");

        JsonNode notReady = problem("/api/v1/jobs/" + jobId + "/text/download", carol, HttpStatus.CONFLICT);

        assertThat(notReady.get("code").asString()).isEqualTo("not_ready");
        assertThat(notReady.get("detail").asString()).contains("once it has completed");
        assertThat(fetch(redirect("/api/v1/jobs/" + jobId + "/original", carol)).body()).isEqualTo(file);
    }

    @Test
    void withRedirectFalseTheSameUrlComesAsJsonWithItsExpiry() throws Exception {
        byte[] file = "For the page\n".getBytes(StandardCharsets.UTF_8);
        String jobId = upload("dana", file, "page.txt");

        Instant before = Instant.now();
        JsonNode link = client.get().uri("/api/v1/jobs/{id}/original?redirect=false", jobId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("dana"))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(Instant.parse(link.get("expiresAt").asString()))
                .isBetween(before.plus(Duration.ofMinutes(15)).minusSeconds(2), Instant.now().plus(Duration.ofMinutes(15)));
        assertThat(fetch(URI.create(link.get("url").asString())).body()).isEqualTo(file);
    }

    @Test
    void anOriginalGoneFromStorageIs404OriginalNotFound() throws Exception {
        JobView view = completedWithText("erin", "gone.pdf", "text\n");

        JsonNode gone = problem("/api/v1/jobs/" + view.jobId() + "/original", ISSUER.user("erin"), HttpStatus.NOT_FOUND);

        assertThat(gone.get("code").asString()).isEqualTo("original_not_found");
    }

    private String upload(String owner, byte[] file, String filename) {
        return upload(client, ISSUER.user(owner), file, filename);
    }

    /** Uploads one file as the token's user and answers its job id. */
    static String upload(WebTestClient client, String token, byte[] file, String filename) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", file).filename(filename);
        JsonNode answer = client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        return answer.get("jobs").get(0).get("jobId").asString();
    }

    /** A completed job in MongoDB whose text is stored gzip-compressed in S3, as the processor stores it. */
    private JobView completedWithText(String owner, String filename, String text) throws Exception {
        String jobId = UUID.randomUUID().toString();
        Instant created = Instant.now().minusSeconds(60);
        ExtractionResult result = new ExtractionResult("application/pdf", 1, text.length(), 3, "de", null, null,
                "spool-text", "text/" + jobId + ".txt.gz", null, null, null, "gzip");
        JobView view = new JobView(jobId, owner, filename, 100L, "ab".repeat(32), "application/pdf",
                Priority.NORMAL, JobStatus.COMPLETED, null, 100, 1, false, created, created, created.plusSeconds(1),
                1000L, result, null, 4L, created.plusSeconds(1));
        s3.putObject(r -> r.bucket(result.textBucket()).key(result.textKey()).contentType("text/plain")
                .contentEncoding("gzip"), AsyncRequestBody.fromBytes(gzip(text))).get();
        StoredViews.insert(mongo, view);
        return view;
    }

    private URI redirect(String path, String token) {
        String location = client.get().uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus().isFound()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody().isEmpty()
                .getResponseHeaders().getFirst(HttpHeaders.LOCATION);
        assertThat(location).isNotNull();
        return URI.create(location);
    }

    private JsonNode problem(String path, String token, HttpStatus status) {
        return client.get().uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().doesNotExist(HttpHeaders.LOCATION)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** What a browser given the URL gets: no token, no cookie, only the URL. */
    static HttpResponse<byte[]> fetch(URI url) throws IOException, InterruptedException {
        return PLAIN.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return compressed.toByteArray();
    }

    private static String gunzip(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
