package dev.spool.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One file sent to {@code POST /api/v1/uploads} as multipart/form-data, streamed from disk: the body is the
 * multipart preamble, the file and the epilogue, so the bench never holds the file in memory.
 */
final class IngestUpload implements SpoolUpload {

    /** The S3 key prefix ingest stores uploads under, followed by the job id. */
    static final String KEY_PREFIX = "uploads/";

    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final HttpClient http;
    private final JsonMapper json;
    private final URI uploads;
    private final String token;

    IngestUpload(HttpClient http, JsonMapper json, String baseUrl, String token) {
        this.http = http;
        this.json = json;
        this.uploads = URI.create(baseUrl + "/api/v1/uploads");
        this.token = token;
    }

    @Override
    public String upload(Path file) throws IOException, InterruptedException {
        String boundary = "spool-bench-" + UUID.randomUUID();
        String preamble = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"bench.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n";
        String epilogue = "\r\n--" + boundary + "--\r\n";
        HttpRequest request = HttpRequest.newBuilder(uploads)
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(BodyPublishers.concat(BodyPublishers.ofString(preamble), BodyPublishers.ofFile(file),
                        BodyPublishers.ofString(epilogue)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("upload answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode job = json.readTree(response.body()).path("jobs").path(0);
        if (job.path("jobId").isMissingNode()) {
            throw new IllegalStateException("upload accepted no file: " + response.body());
        }
        return KEY_PREFIX + job.path("jobId").asString();
    }
}
