package dev.spool.ingest.integrity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends one file as a tus upload the way an unreliable client does: PATCH requests of random sizes (some ending
 * exactly at a part boundary), each body in random pieces, some broken off mid-body, after which the client asks
 * for the offset with HEAD and resumes from there.
 */
final class TusStressClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_REQUESTS = 400;

    private final HttpClient http;
    private final String endpoint;
    private final String token;
    private final int partSize;

    TusStressClient(HttpClient http, int port, String token, int partSize) {
        this.http = http;
        this.endpoint = "http://localhost:" + port + "/api/v1/tus/";
        this.token = token;
        this.partSize = partSize;
    }

    /**
     * Uploads {@code file}; {@code headers} gives the extra headers of each PATCH from its offset and end.
     *
     * @return the answer of the request that finished the upload (or of its creation, when that was refused)
     */
    StressOutcome upload(byte[] file, Random random, BiFunction<Integer, Integer, String[]> headers)
            throws InterruptedException {
        HttpResponse<String> created = send(tus(URI.create(endpoint))
                .header("Upload-Length", Integer.toString(file.length))
                .header("Upload-Metadata", "filename " + Base64.getEncoder()
                        .encodeToString("stress".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (created.statusCode() != 201) {
            return outcome(created, 0);
        }
        String url = created.headers().firstValue("Location").orElseThrow();
        long offset = 0;
        int cuts = 0;
        for (int request = 0; request < MAX_REQUESTS; request++) {
            int end = (int) Math.min(file.length, offset + chunk(random, offset));
            boolean cut = random.nextInt(5) == 0 && cuts < 4;
            long cutAt = cut ? (long) (random.nextDouble() * (end - offset)) : -1;
            PacedBody body = new PacedBody(file, (int) offset, end, random.nextLong(), cutAt);
            HttpRequest.Builder patch = tus(URI.create(url))
                    .header("Upload-Offset", Long.toString(offset))
                    .header("Content-Type", "application/offset+octet-stream")
                    .method("PATCH", random.nextInt(4) == 0 ? HttpRequest.BodyPublishers.fromPublisher(body)
                            : HttpRequest.BodyPublishers.fromPublisher(body, body.length()));
            String[] extra = headers.apply((int) offset, end);
            for (int i = 0; i + 1 < extra.length; i += 2) {
                patch.header(extra[i], extra[i + 1]);
            }
            HttpResponse<String> response;
            try {
                response = http.send(patch.timeout(Duration.ofMinutes(2)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                cuts += cut ? 1 : 0;
                offset = resumeOffset(url);
                continue;
            }
            int status = response.statusCode();
            if (status == 204 && response.headers().firstValue("Spool-Job-Id").isPresent()) {
                return outcome(response, cuts);
            }
            if (status == 204 || status == 409) {
                offset = Long.parseLong(response.headers().firstValue("Upload-Offset").orElseThrow());
            } else if (status == 423 || status == 503 || status == 429) {
                TimeUnit.MILLISECONDS.sleep(50 + random.nextInt(150));
                offset = resumeOffset(url);
            } else {
                return outcome(response, cuts);
            }
        }
        throw new IllegalStateException("upload " + url + " unfinished after " + MAX_REQUESTS + " requests");
    }

    /** Mostly a fraction of a part, sometimes up to the next part boundary or one byte either side of it. */
    private int chunk(Random random, long offset) {
        int toBoundary = (int) (partSize - offset % partSize);
        return switch (random.nextInt(5)) {
            case 0 -> 1 + random.nextInt(64 * 1024);
            case 1 -> Math.max(1, toBoundary + random.nextInt(3) - 1);
            case 2 -> 1 + random.nextInt(3 * partSize);
            default -> 1 + random.nextInt(partSize);
        };
    }

    /** The offset the server kept, asked as a client does after a broken request. */
    private long resumeOffset(String url) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            HttpResponse<String> head = send(tus(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
            if (head.statusCode() == 200) {
                return Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("HEAD " + url + " never answered 200");
    }

    private HttpRequest.Builder tus(URI uri) {
        return HttpRequest.newBuilder(uri).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofMinutes(1)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static StressOutcome outcome(HttpResponse<String> response, int cuts) {
        String body = response.body();
        return new StressOutcome(response.statusCode(), body == null || body.isBlank() ? JSON.createObjectNode()
                : JSON.readTree(body), response.headers(), cuts, -1);
    }
}
