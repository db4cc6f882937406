package dev.spool.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher's used heap, read from its public Prometheus endpoint: the sum of {@code jvm_memory_used_bytes}
 * over the heap pools. Used heap includes garbage not yet collected, so the peak is an upper bound of what an
 * upload keeps alive, not a measure of it.
 */
final class HeapSampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HeapSampler.class);
    private static final Duration PERIOD = Duration.ofMillis(250);
    private static final String METRIC = "jvm_memory_used_bytes{";

    private final HttpClient http;
    private final URI prometheus;
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private ScheduledExecutorService scheduler;

    HeapSampler(HttpClient http, String baseUrl) {
        this.http = http;
        this.prometheus = URI.create(baseUrl + "/actuator/prometheus");
    }

    /** Used heap right now, in bytes. */
    long usedHeap() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(prometheus).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + prometheus + " answered " + response.statusCode()
                    + "; the bench reads heap use from it without a token");
        }
        return heapFrom(response.body());
    }

    static long heapFrom(String exposition) {
        double sum = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(METRIC) && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no jvm_memory_used_bytes{area=\"heap\"} in the Prometheus output");
        }
        return (long) sum;
    }

    /** Starts sampling; {@link #peak()} covers everything from {@code baseline} on. */
    void start(long baseline) {
        peak.set(baseline);
        samples.set(0);
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "heap-sampler");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::sample, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sample() {
        try {
            long used = usedHeap();
            peak.accumulateAndGet(used, Math::max);
            samples.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Heap sample failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long peak() {
        return peak.get();
    }

    long samples() {
        return samples.get();
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }
}
