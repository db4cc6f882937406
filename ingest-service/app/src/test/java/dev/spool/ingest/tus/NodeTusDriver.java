package dev.spool.ingest.tus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real tus-js-client on Node, run by {@code src/test/node/tus-driver.mjs}: started with its options, it reports
 * every request, response and progress step as a JSON line and takes {@code abort} and {@code start} commands.
 */
final class NodeTusDriver implements AutoCloseable {

    static final Path SCRIPTS = Path.of("src/test/node");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Writer commands;
    private final List<JsonNode> events = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();

    private NodeTusDriver(Process process) {
        this.process = process;
        this.commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::read, "tus-driver-stdout");
        reader.setDaemon(true);
        reader.start();
        Thread errors = new Thread(this::readErrors, "tus-driver-stderr");
        errors.setDaemon(true);
        errors.start();
    }

    /** Starts the driver; fails with what to run when the npm packages are missing. */
    static NodeTusDriver start(Map<String, Object> options) {
        if (!Files.isDirectory(SCRIPTS.resolve("node_modules/tus-js-client"))) {
            throw new IllegalStateException("tus-js-client is not installed: run `npm ci --prefix "
                    + "ingest-service/app/src/test/node` (.ci/run does) before the tests");
        }
        try {
            Process process = new ProcessBuilder("node", "tus-driver.mjs", JSON.writeValueAsString(options))
                    .directory(SCRIPTS.toFile())
                    .start();
            return new NodeTusDriver(process);
        } catch (IOException e) {
            throw new UncheckedIOException("Node.js must be installed to run the tus client tests", e);
        }
    }

    /** Waits for the first event (seen before or after this call) that matches. */
    JsonNode await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (JsonNode event : events) {
                    if (match.test(event)) {
                        return event;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && readerDone) {
                    throw new AssertionError("no matching tus-js-client event within " + timeout + "; events: "
                            + tail() + "; stderr: " + stderr);
                }
                events.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, 200_000_000L))));
            }
        }
    }

    /** Waits for progress of at least {@code bytes} reported after the {@code after}-th event. */
    JsonNode awaitProgress(long bytes, int after, Duration timeout) throws InterruptedException {
        return await(event -> indexOf(event) >= after && "progress".equals(event.path("event").asString())
                && event.path("bytes").asLong() >= bytes, timeout);
    }

    /** The driver's final word: {@code success} or {@code error}. */
    JsonNode awaitEnd(Duration timeout) throws InterruptedException {
        return await(event -> "success".equals(event.path("event").asString())
                || "error".equals(event.path("event").asString()), timeout);
    }

    void send(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every event so far. */
    List<JsonNode> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    int eventCount() {
        synchronized (events) {
            return events.size();
        }
    }

    private int indexOf(JsonNode event) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) == event) {
                return i;
            }
        }
        return -1;
    }

    private volatile boolean readerDone;

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode event = line.startsWith("{") ? JSON.readTree(line) : JSON.createObjectNode()
                        .put("event", "output").put("text", line);
                synchronized (events) {
                    events.add(event);
                    events.notifyAll();
                }
            }
        } catch (IOException e) {
            // The process ended.
        } finally {
            readerDone = true;
            synchronized (events) {
                events.notifyAll();
            }
        }
    }

    private void readErrors() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (stderr) {
                    stderr.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
    }

    private String tail() {
        List<JsonNode> all = events;
        return all.subList(Math.max(0, all.size() - 20), all.size()).toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
