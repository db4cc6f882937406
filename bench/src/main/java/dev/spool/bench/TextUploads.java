package dev.spool.bench;

import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Uploads {@link LoadDocument}s of one kind to {@code POST /api/v1/uploads}, upload {@code n} as user {@code n} modulo the
 * tokens given, and counts the refusals.
 */
final class TextUploads {

    private static final Logger LOG = LoggerFactory.getLogger(TextUploads.class);

    private final HttpClient http;
    private final String baseUrl;
    private final List<String> tokens;
    private final JsonMapper json;
    private final LoadDocument kind;
    private final AtomicInteger refused = new AtomicInteger();

    TextUploads(HttpClient http, String baseUrl, List<String> tokens, JsonMapper json) {
        this(http, baseUrl, tokens, json, LoadDocument.TEXT);
    }

    TextUploads(HttpClient http, String baseUrl, List<String> tokens, JsonMapper json, LoadDocument kind) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.tokens = List.copyOf(tokens);
        this.json = json;
        this.kind = kind;
    }

    /** Completes with the job and the time of its 202, or with {@code null} when the upload was refused. */
    CompletableFuture<AcceptedJob> send(int number) {
        return http.sendAsync(SmallUpload.request(baseUrl, token(number), kind.filename(number), kind.contentType(),
                kind.bytes(number)), BodyHandlers.ofString()).handle((response, failure) -> {
                    long at = System.nanoTime();
                    if (failure == null && response.statusCode() == 202) {
                        return new AcceptedJob(json.readTree(response.body()).path("jobs").path(0).path("jobId")
                                .asString(), at);
                    }
                    refused.incrementAndGet();
                    LOG.warn("upload {} refused: {}", number, failure != null ? failure.toString()
                            : response.statusCode() + " " + response.body());
                    return null;
                });
    }

    /** The token upload {@code number} is sent with. */
    String token(int number) {
        return tokens.get(number % tokens.size());
    }

    /** Uploads refused since this was created. */
    int refused() {
        return refused.get();
    }
}
