package dev.spool.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code GET /api/v1/jobs/{id}} until it says completed: when a user who polls would see the job done. It
 * polls every {@link #INTERVAL} at first, then every twentieth of the time waited so far, so that a measurement is
 * off by at most the larger of the two, and a backlog of slow jobs does not flood the server with reads.
 */
final class StatusPolls implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMillis(25);

    private final HttpClient http;
    private final String baseUrl;
    private final JsonMapper json;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();

    StatusPolls(HttpClient http, String baseUrl, JsonMapper json) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.json = json;
    }

    /** Completes with the {@link System#nanoTime()} of the first answer that said completed; fails after {@code timeout}. */
    CompletableFuture<Long> completed(String jobId, String token, Duration timeout) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        long started = System.nanoTime();
        poll(request(jobId, token), started, started + timeout.toNanos(), done);
        return done;
    }

    /** Whether one read of the job now says completed. */
    CompletableFuture<Boolean> saysCompleted(String jobId, String token) {
        return http.sendAsync(request(jobId, token), BodyHandlers.ofString()).thenApply(response ->
                response.statusCode() == 200
                        && "completed".equals(json.readTree(response.body()).path("status").asString()));
    }

    private HttpRequest request(String jobId, String token) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/jobs/" + jobId))
                .header("Authorization", "Bearer " + token).build();
    }

    private void poll(HttpRequest request, long started, long deadline, CompletableFuture<Long> done) {
        http.sendAsync(request, BodyHandlers.ofString()).whenComplete((response, failure) -> {
            long at = System.nanoTime();
            if (failure == null && response.statusCode() == 200
                    && "completed".equals(json.readTree(response.body()).path("status").asString())) {
                done.complete(at);
            } else if (at > deadline) {
                done.completeExceptionally(new IllegalStateException(request.uri() + " not completed in time"));
            } else {
                long waited = at - started;
                clock.schedule(() -> poll(request, started, deadline, done), Math.max(INTERVAL.toNanos(), waited / 20),
                        TimeUnit.NANOSECONDS);
            }
        });
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
