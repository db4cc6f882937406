package dev.spool.ingest.integrity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends one file as {@code POST /api/v1/uploads} the way an unreliable client does: the body in random pieces,
 * sometimes with a {@code Content-Length} and sometimes chunked, broken off at random points and sent again, until
 * an answer that is not worth retrying. No {@code Expect: 100-continue}: Java 17's client, once it has sent part of
 * such a body, waits for ever when the body then fails, so a broken-off attempt would never end.
 */
final class MultipartStressClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ATTEMPTS = 30;
    /**
     * The closing delimiter's length ({@code \r\n--}, the boundary, {@code --\r\n}) with the boundary as generated:
     * a body broken off inside it may still be complete for the server, so cuts stay before it.
     */
    private static final int EPILOGUE_BYTES = 2 + 2 + 6 + 32 + 4;

    private final HttpClient http;
    private final URI uri;
    private final String token;

    MultipartStressClient(HttpClient http, int port, String token) {
        this.http = http;
        this.uri = URI.create("http://localhost:" + port + "/api/v1/uploads");
        this.token = token;
    }

    /**
     * Uploads {@code file}, with the headers each attempt adds.
     *
     * @return the final answer and how many attempts the client broke off on the way
     */
    StressOutcome upload(byte[] file, Map<String, String> headers, Random random) throws InterruptedException {
        String boundary = String.format("stress%016x%016x", random.nextLong(), random.nextLong());
        byte[] body = frame(boundary, file);
        int cuts = 0;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            boolean cut = random.nextInt(4) == 0 && cuts < 3;
            long cutAt = cut ? (long) (random.nextDouble() * (body.length - EPILOGUE_BYTES)) : -1;
            PacedBody paced = new PacedBody(body, 0, body.length, random.nextLong(), cutAt);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofMinutes(2))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(random.nextBoolean() ? HttpRequest.BodyPublishers.fromPublisher(paced, paced.length())
                            : HttpRequest.BodyPublishers.fromPublisher(paced));
            headers.forEach(request::header);
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (!cut) {
                    // The server may close a connection it refused early (too busy, rate limited); send again.
                    TimeUnit.MILLISECONDS.sleep(50);
                }
                cuts += cut ? 1 : 0;
                continue;
            }
            if (cut && response.statusCode() != 202) {
                // Answered before the body was broken off (or after, with what arrived): never an acceptance.
                cuts++;
                continue;
            }
            // 409: a broken-off attempt with the same Idempotency-Key is still being cleared away.
            if (response.statusCode() == 503 || response.statusCode() == 429 || response.statusCode() == 409) {
                TimeUnit.MILLISECONDS.sleep(100 + random.nextInt(200));
                continue;
            }
            return new StressOutcome(response.statusCode(), json(response.body()), response.headers(), cuts,
                    cut ? cutAt : -1);
        }
        throw new IllegalStateException("no final answer after " + MAX_ATTEMPTS + " attempts");
    }

    /** One {@code file} part, after a form field so that the file does not start the body. */
    private static byte[] frame(String boundary, byte[] file) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(file.length + 512);
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nstress\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"stress\"\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static JsonNode json(String body) {
        return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    }
}
