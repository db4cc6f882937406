package dev.spool.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.SampleFiles;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** What keeps one instance standing: the cap on concurrent uploads, answered before a body is read. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spool.ingest.max-concurrent-uploads=2"
})
@AutoConfigureWebTestClient(timeout = "30s")
class UploadProtectionIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final String BOUNDARY = "spool-test-boundary";

    @Autowired
    private WebTestClient client;

    @Autowired
    private UploadPermits permits;

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void anInstanceAtItsCapRefusesWith503AndRetryAfterThenRecoversWhenUploadsEnd() {
        List<Disposable> stalled = IntStream.range(0, 2).mapToObj(i -> stalledUpload(user())).toList();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> permits.active() == 2);

        client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, bearer(user()))
                .body(BodyInserters.fromMultipartData(textFile()))
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "5")
                .expectBody()
                .jsonPath("$.code").isEqualTo("too_busy")
                .jsonPath("$.retryAfterSeconds").isEqualTo(5);

        stalled.forEach(Disposable::dispose);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> permits.active() == 0);

        client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, bearer(user()))
                .body(BodyInserters.fromMultipartData(textFile()))
                .exchange()
                .expectStatus().isAccepted();
        // the permit is returned when the exchange completes, which may be just after the client has the answer
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> permits.active() == 0);
    }

    /**
     * A client that asked for {@code 100 Continue}, was told to go on, sent a part of the body and went away: the
     * upload's permit and its {@code Idempotency-Key} must come back, so that the same upload sent again is taken.
     */
    @Test
    void anUploadBrokenOffAfter100ContinueGivesBackItsPermitAndItsIdempotencyKey() throws Exception {
        String user = user();
        String key = "broken-off-" + UUID.randomUUID();
        byte[] content = SampleFiles.text(200_000);
        String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"whole.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n";
        String tail = "\r\n--" + BOUNDARY + "--\r\n";
        long length = head.length() + content.length + tail.length();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/uploads HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Authorization: " + bearer(user) + "\r\n"
                    + "Idempotency-Key: " + key + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                    + "Content-Length: " + length + "\r\n"
                    + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).as("the interim answer").isEqualTo("HTTP/1.1 100 Continue");
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content, 0, content.length / 2);
            out.flush();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> permits.active() == 1);
        }

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> permits.active() == 0);
        MultipartBodyBuilder whole = new MultipartBodyBuilder();
        whole.part("file", content).filename("whole.txt").contentType(MediaType.TEXT_PLAIN);
        client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, bearer(user))
                .header("Idempotency-Key", key)
                .body(BodyInserters.fromMultipartData(whole.build()))
                .exchange()
                .expectStatus().isAccepted();
    }

    /** An upload whose body sends the start of a file part, then nothing, holding its permit until disposed. */
    private Disposable stalledUpload(String user) {
        String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nThe first bytes of a file that never ends...";
        Flux<DataBuffer> body = Flux.<DataBuffer>just(DefaultDataBufferFactory.sharedInstance
                .wrap(head.getBytes(StandardCharsets.US_ASCII))).concatWith(Flux.never());
        return WebClient.create("http://127.0.0.1:" + port).post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, bearer(user))
                .contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + BOUNDARY))
                .body(BodyInserters.fromDataBuffers(body))
                .retrieve()
                .toBodilessEntity()
                .subscribe(response -> { }, error -> { });
    }

    private static MultiValueMap<String, HttpEntity<?>> textFile() {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", SampleFiles.text(1000)).filename("small.txt");
        return body.build();
    }

    private static String user() {
        return "user-" + UUID.randomUUID();
    }

    private static String bearer(String user) {
        return "Bearer " + ISSUER.user(user);
    }
}
