package dev.spool.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows a job's live feed ({@code GET /api/v1/jobs/{id}/events}) until its {@code completed} event: when a user who
 * follows the job, as the web page does, sees it done. The feed is served from the same live view that status reads
 * answer from first, and the server pushes the event, so nothing is polled: a measurement neither lags by a polling
 * interval nor loads the server with reads while it waits. A feed that answers 404 because the job's view is not
 * written yet is opened again shortly, and counted.
 *
 * <p>Each feed is read by a thread of its own over a plain {@link HttpURLConnection}, as a browser's
 * {@code EventSource} reads it. The JDK's asynchronous {@code HttpClient}, tried first, delivered the first event of
 * a feed a second or more late under the same load at which a blocking reader saw it in a fifth of that.
 *
 * <p>Each completed event also tells where its time went, on the one clock the launcher and the bench share: the
 * view's {@code completedAt} (the processor finished the job), the event's id (Redis appended the entry to the feed:
 * stream ids begin with Redis's clock in milliseconds) and the moment it arrived here.
 */
final class FeedCompletions implements AutoCloseable {

    private static final Duration RETRY_AFTER_NOT_FOUND = Duration.ofMillis(25);
    private static final Pattern COMPLETED_AT = Pattern.compile("\"completedAt\":\"([^\"]+)\"");
    private static final Pattern ENTRY_ID = Pattern.compile("(\\d+)-\\d+");

    private final String baseUrl;
    private final ExecutorService readers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "feed-reader");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong notFound = new AtomicLong();
    private final Queue<Timeline> timelines = new ConcurrentLinkedQueue<>();

    /**
     * One completed event's way, in epoch milliseconds.
     *
     * @param finished when the processor finished the job (the view's {@code completedAt})
     * @param appended when Redis appended the completed entry to the job's feed (the entry id)
     * @param arrived when the event arrived here
     */
    record Timeline(long finished, long appended, long arrived) {
    }

    FeedCompletions(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * Completes with the {@link System#nanoTime()} at which the job's {@code completed} event arrived; fails when the
     * feed ends otherwise (a {@code failed} event, an error) or after {@code timeout}.
     */
    CompletableFuture<Long> completed(String jobId, String token, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return follow(jobId, token, deadline);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("the feed of " + jobId + " failed: " + e, e);
            }
        }, readers);
    }

    /** The way of every completed event since the last call, and forgets them. */
    List<Timeline> takeTimelines() {
        List<Timeline> taken = new ArrayList<>();
        for (Timeline next = timelines.poll(); next != null; next = timelines.poll()) {
            taken.add(next);
        }
        return taken;
    }

    /** How often a feed answered 404 to a job just accepted: the job's view was not written yet. */
    long notFoundAnswers() {
        return notFound.get();
    }

    private long follow(String jobId, String token, long deadline) throws IOException, InterruptedException {
        while (System.nanoTime() < deadline) {
            HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl + "/api/v1/jobs/" + jobId + "/events")
                    .toURL().openConnection();
            connection.setRequestProperty("Authorization", "Bearer " + token);
            connection.setRequestProperty("Accept", "text/event-stream");
            connection.setReadTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            try {
                if (connection.getResponseCode() == 404) {
                    notFound.incrementAndGet();
                    Thread.sleep(RETRY_AFTER_NOT_FOUND.toMillis());
                    continue;
                }
                try (BufferedReader events = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String event = "message";
                    String id = null;
                    String data = null;
                    for (String line = events.readLine(); line != null; line = events.readLine()) {
                        if (line.startsWith("event:")) {
                            event = line.substring("event:".length()).trim();
                        } else if (line.startsWith("id:")) {
                            id = line.substring("id:".length()).trim();
                        } else if (line.startsWith("data:")) {
                            data = line.substring("data:".length());
                        } else if (line.isEmpty()) {
                            if ("completed".equals(event)) {
                                long at = System.nanoTime();
                                record(id, data, System.currentTimeMillis());
                                return at;
                            }
                            event = "message";
                            id = null;
                            data = null;
                        }
                    }
                }
                throw new IllegalStateException("the feed of " + jobId + " ended without a completed event");
            } finally {
                connection.disconnect();
            }
        }
        throw new IllegalStateException("the feed of " + jobId + " did not complete in time");
    }

    private void record(String id, String data, long arrived) {
        Matcher entry = id == null ? null : ENTRY_ID.matcher(id);
        Matcher finished = data == null ? null : COMPLETED_AT.matcher(data);
        if (entry != null && entry.matches() && finished != null && finished.find()) {
            timelines.add(new Timeline(Instant.parse(finished.group(1)).toEpochMilli(), Long.parseLong(entry.group(1)),
                    arrived));
        }
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
