package dev.spool.launcher.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A few concurrent clients uploading documents through ingest's HTTP API, as well-behaved clients do: each upload
 * carries an {@code Idempotency-Key} and is sent again with the same key after a refusal (429, 503, or 409 while
 * an earlier send is still running), after the {@code Retry-After} delay, or after a lost connection. Only a 202
 * makes a job. It keeps uploading past its target until released, so that faults always play under load.
 */
public final class LoadGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final long DEFAULT_RETRY_AFTER_SECONDS = 1;
    private static final Duration PAUSED_POLL = Duration.ofMillis(100);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A job ingest accepted with a 202.
     *
     * @param jobId the job id
     * @param ownerId the user who uploaded it
     * @param acceptedAt when the 202 arrived
     */
    public record AcceptedJob(String jobId, String ownerId, Instant acceptedAt) {
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<URI> uploads;
    private final List<Uploader> uploaders;
    private final List<SampleUpload> corpus;
    private final int target;
    private final List<Thread> clients = new ArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Queue<AcceptedJob> accepted = new ConcurrentLinkedQueue<>();
    private final Map<Integer, LongAdder> refusals = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong transportErrors = new AtomicLong();
    private final AtomicLong replays = new AtomicLong();
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    private volatile boolean held = true;
    private volatile boolean paused;
    private volatile boolean stopped;

    /**
     * @param baseUrl ingest's base URL
     * @param uploaders the users to upload as, in turn
     * @param corpus the documents to upload, in turn
     * @param target jobs to have accepted before stopping, once released
     * @param concurrency clients uploading at once
     */
    public LoadGenerator(String baseUrl, List<Uploader> uploaders, List<SampleUpload> corpus, int target,
            int concurrency) {
        this(List.of(baseUrl), uploaders, corpus, target, concurrency);
    }

    /**
     * Clients of several ingest instances: uploads go to each in turn, and an upload sent again after a lost
     * connection goes to the next one, with the same {@code Idempotency-Key}, as a client behind a load balancer
     * would send it.
     */
    public LoadGenerator(List<String> baseUrls, List<Uploader> uploaders, List<SampleUpload> corpus, int target,
            int concurrency) {
        this.uploads = baseUrls.stream().map(base -> URI.create(base + "/api/v1/uploads")).toList();
        this.uploaders = List.copyOf(uploaders);
        this.corpus = List.copyOf(corpus);
        this.target = target;
        for (int i = 0; i < concurrency; i++) {
            Thread client = new Thread(this::upload, "fault-suite-uploader-" + i);
            client.setDaemon(true);
            clients.add(client);
        }
    }

    public void start() {
        clients.forEach(Thread::start);
    }

    /** From now on the clients stop once the target is reached. */
    public void release() {
        held = false;
    }

    /** The clients send nothing new after their current upload until {@link #resume}. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    /** Stops the clients after their current upload, target or not. */
    public void stop() {
        stopped = true;
    }

    /** Waits for the clients to stop; false when they still run after {@code timeout}. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread client : clients) {
            client.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        return clients.stream().noneMatch(Thread::isAlive);
    }

    private void upload() {
        while (!stopped && (held || accepted.size() < target)) {
            if (paused) {
                sleep(PAUSED_POLL);
                continue;
            }
            int n = sequence.getAndIncrement();
            // Documents and users advance at different strides, so every user sends every kind of document.
            uploadUntilAnswered(uploaders.get(n % uploaders.size()), corpus.get(n / uploaders.size() % corpus.size()), n);
        }
    }

    private void uploadUntilAnswered(Uploader uploader, SampleUpload document, int n) {
        MultipartBody body = new MultipartBody(document);
        String idempotencyKey = UUID.randomUUID().toString();
        int instance = n;
        HttpRequest request = request(uploader, body, idempotencyKey, instance);
        while (!stopped) {
            requests.incrementAndGet();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                transportErrors.incrementAndGet();
                LOG.info("Upload not answered ({}); sending it again", e.toString());
                instance++;
                request = request(uploader, body, idempotencyKey, instance);
                sleep(Duration.ofSeconds(DEFAULT_RETRY_AFTER_SECONDS));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int status = response.statusCode();
            if (status == 202) {
                accept(uploader, response);
                return;
            }
            if (status == 429 || status == 503 || status == 409) {
                refusals.computeIfAbsent(status, code -> new LongAdder()).increment();
                sleep(Duration.ofSeconds(retryAfterSeconds(response)));
                continue;
            }
            unexpected.add(status + " " + response.body());
            return;
        }
    }

    private HttpRequest request(Uploader uploader, MultipartBody body, String idempotencyKey, int instance) {
        URI base = uploads.get(Math.floorMod(instance, uploads.size()));
        URI uri = uploader.priority() == null ? base : URI.create(base + "?priority=" + uploader.priority());
        return HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + uploader.token())
                .header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                .build();
    }

    private void accept(Uploader uploader, HttpResponse<String> response) {
        if (response.headers().firstValue("Idempotent-Replayed").isPresent()) {
            replays.incrementAndGet();
        }
        JsonNode answer = JSON.readTree(response.body());
        accepted.add(new AcceptedJob(answer.at("/jobs/0/jobId").asString(), uploader.userId(), Instant.now()));
    }

    private static long retryAfterSeconds(HttpResponse<String> response) {
        return response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(DEFAULT_RETRY_AFTER_SECONDS);
    }

    /** A client waiting before it sends again, as told, or while paused. */
    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<AcceptedJob> accepted() {
        return List.copyOf(accepted);
    }

    public int acceptedCount() {
        return accepted.size();
    }

    public long requests() {
        return requests.get();
    }

    /** Refused uploads by HTTP status; each was sent again. */
    public Map<Integer, Long> refusals() {
        Map<Integer, Long> counts = new ConcurrentHashMap<>();
        refusals.forEach((status, count) -> counts.put(status, count.sum()));
        return Map.copyOf(counts);
    }

    public long transportErrors() {
        return transportErrors.get();
    }

    /** Sends answered with the remembered answer of an earlier send of the same upload. */
    public long replays() {
        return replays.get();
    }

    /** Answers other than 202 and the refusals a client retries. */
    public List<String> unexpected() {
        return List.copyOf(unexpected);
    }
}
