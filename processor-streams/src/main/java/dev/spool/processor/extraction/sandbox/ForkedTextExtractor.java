package dev.spool.processor.extraction.sandbox;

import dev.spool.processor.extraction.ExtractionLimits;
import dev.spool.processor.extraction.ExtractionRefusedException;
import dev.spool.processor.extraction.ExtractionSummary;
import dev.spool.processor.extraction.TextExtractor;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.event.ErrorCode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts each document in a worker process ({@link ExtractionWorker}) with a capped heap, so that no document can
 * exhaust the processor's memory or hold a stream thread past the timeout. Workers are started on demand, kept warm
 * and reused; one that overruns the timeout is killed, one that dies (out of memory) is replaced, and the job gets a
 * precise error either way. Every tier's documents go to the same pool of workers, as many at once as
 * {@link ExtractionPlaces} gives them places: each tier its own and the shared ones; more wait in turn.
 */
public final class ForkedTextExtractor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ForkedTextExtractor.class);
    /** {@code -XX:+ExitOnOutOfMemoryError} ends the JVM with this code. */
    private static final int OUT_OF_MEMORY_EXIT = 3;
    private static final String SPRING_BOOT_LOADER = "org.springframework.boot.loader.launch.PropertiesLauncher";
    /** A cold worker loads Tika's parsers and language models; that time is not the document's. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private final ExtractionLimits limits;
    private final ExtractionPlaces places;
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private final List<String> command;
    private volatile boolean closed;

    public ForkedTextExtractor(ExtractionLimits limits, ExtractionPlaces places) {
        this.limits = limits;
        this.places = places;
        this.command = command(limits);
    }

    /** The extraction of {@code tier}'s documents. */
    public TextExtractor forTier(Priority tier) {
        return (document, declaredType, textOut, detected) -> extract(tier, document, declaredType, textOut, detected);
    }

    private ExtractionSummary extract(Priority tier, Path document, String declaredType, Path textOut,
            Consumer<String> detected) throws Exception {
        // Waiting for a worker is queueing, not the document's time: every holder lets go within the timeout.
        ExtractionPlaces.Place place = places.acquire(tier);
        Worker worker = null;
        try {
            worker = borrow();
            // the time limit starts once a warm worker has the document
            long deadline = System.nanoTime() + limits.timeout().toNanos();
            ExtractionSummary summary = worker.extract(document, declaredType, textOut, detected, deadline);
            keepWarm(worker);
            worker = null;
            return summary;
        } finally {
            if (worker != null) {
                worker.kill();
            }
            places.release(place);
        }
    }

    /**
     * Keeps {@code worker} for the next document, unless as many are idle as there are places: then a worker started
     * beside a prestarting one is one too many.
     */
    private void keepWarm(Worker worker) {
        if (closed || idle.size() >= places.total()) {
            worker.kill();
        } else {
            idle.push(worker);
        }
    }

    private Worker borrow() throws IOException {
        if (closed) {
            throw new IllegalStateException("the extractor is closed");
        }
        for (Worker worker = idle.poll(); worker != null; worker = idle.poll()) {
            if (worker.isAlive()) {
                return worker;
            }
        }
        return Worker.start(command);
    }

    /**
     * Starts a worker for every place ahead of the first documents, one after another, so that no job waits for a cold
     * start, the shared places' included: they serve the documents queued behind a slow one, at once. A prestarted
     * worker holds no place, so a job arriving meanwhile starts its own; the idle ones never outnumber the places.
     */
    public void prestart() {
        try {
            while (!closed && idle.size() < places.total()) {
                idle.push(Worker.start(command));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not start an extraction worker ahead of time: {}", e.toString());
        }
    }

    /** The pid of an idle worker, for tests that check reuse and replacement. */
    Optional<Long> idleWorkerPid() {
        Worker worker = idle.peek();
        return worker == null ? Optional.empty() : Optional.of(worker.process.pid());
    }

    @Override
    public void close() {
        closed = true;
        for (Worker worker = idle.poll(); worker != null; worker = idle.poll()) {
            worker.kill();
        }
    }

    /** The command that starts a worker: this JVM's java, the same classes, the heap cap and the limits. */
    static List<String> command(ExtractionLimits limits) {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString());
        String classPath = System.getProperty("java.class.path");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + limits.workerHeap(), "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseSerialGC", "-Djava.awt.headless=true", "-cp", classPath));
        if (isSpringBootJar(classPath)) {
            // inside the launcher's executable jar the classes are nested: Boot's own launcher finds them
            command.add("-Dloader.main=" + ExtractionWorker.class.getName());
            command.add(SPRING_BOOT_LOADER);
        } else {
            command.add(ExtractionWorker.class.getName());
        }
        command.addAll(List.of(Integer.toString(limits.maxCharacters()), Integer.toString(limits.maxPages()),
                Long.toString(limits.maxExpandedBytes()), Integer.toString(limits.maxCompressionRatio())));
        return List.copyOf(command);
    }

    private static boolean isSpringBootJar(String classPath) {
        if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            return jar.getEntry("BOOT-INF/") != null || jar.getEntry("BOOT-INF/classes/") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** One worker process and the lines it has sent. */
    private static final class Worker {

        private static final String ENDED = "\u0000ended";

        private final Process process;
        private final Writer requests;
        private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

        private Worker(Process process) {
            this.process = process;
            this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            daemon("extraction-worker-" + process.pid() + "-out", this::readReplies);
            daemon("extraction-worker-" + process.pid() + "-err", this::drainErrors);
        }

        private static void daemon(String name, Runnable task) {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        }

        static Worker start(List<String> command) throws IOException {
            Process process = new ProcessBuilder(command).start();
            Worker worker = new Worker(process);
            worker.awaitReady();
            LOG.info("Started extraction worker {}", process.pid());
            return worker;
        }

        private void awaitReady() throws IOException {
            long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
            try {
                while (true) {
                    long left = deadline - System.nanoTime();
                    String line = left > 0 ? replies.poll(left, TimeUnit.NANOSECONDS) : null;
                    if (line == null || ENDED.equals(line)) {
                        kill();
                        throw new IOException("extraction worker " + process.pid() + " did not start within "
                                + STARTUP_TIMEOUT);
                    }
                    if (line.startsWith("{") && WorkerProtocol.JSON.readValue(line, WorkerProtocol.Reply.class).ready()) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                throw new IOException("interrupted while starting an extraction worker", e);
            }
        }

        boolean isAlive() {
            return process.isAlive();
        }

        ExtractionSummary extract(Path document, String declaredType, Path textOut, Consumer<String> detected,
                long deadline)
                throws Exception {
            requests.write(WorkerProtocol.JSON.writeValueAsString(new WorkerProtocol.Request(
                    document.toAbsolutePath().toString(), declaredType, textOut.toAbsolutePath().toString())) + "\n");
            requests.flush();
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? replies.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    kill();
                    throw new ExtractionRefusedException(ErrorCode.TIMEOUT, "extraction took longer than allowed");
                }
                if (ENDED.equals(line)) {
                    throw died();
                }
                if (!line.startsWith("{")) {
                    // the JVM itself writes to standard output at times ("Terminating due to ... OutOfMemoryError")
                    LOG.debug("worker {}: {}", process.pid(), line);
                    continue;
                }
                WorkerProtocol.Reply reply = WorkerProtocol.JSON.readValue(line, WorkerProtocol.Reply.class);
                if (reply.detected() != null) {
                    detected.accept(reply.detected());
                } else if (reply.summary() != null) {
                    return reply.summary();
                } else {
                    Files.deleteIfExists(textOut);
                    throw new ExtractionRefusedException(reply.error().code(), reply.error().message());
                }
            }
        }

        private ExtractionRefusedException died() throws InterruptedException {
            boolean exited = process.waitFor(5, TimeUnit.SECONDS);
            int code = exited ? process.exitValue() : -1;
            LOG.warn("Extraction worker {} died (exit code {})", process.pid(), code);
            if (code == OUT_OF_MEMORY_EXIT) {
                return new ExtractionRefusedException(ErrorCode.TOO_LARGE_TO_EXTRACT,
                        "extracting the document ran out of memory");
            }
            return new ExtractionRefusedException(ErrorCode.INTERNAL, "the extraction worker died with exit code " + code);
        }

        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    LOG.warn("Extraction worker {} outlived SIGKILL by 5 s", process.pid());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void readReplies() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    replies.add(line);
                }
            } catch (IOException e) {
                LOG.debug("Extraction worker {} output ended: {}", process.pid(), e.toString());
            } finally {
                replies.add(ENDED);
            }
        }

        private void drainErrors() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    LOG.debug("worker {}: {}", process.pid(), line);
                }
            } catch (IOException e) {
                LOG.debug("Extraction worker {} error output ended: {}", process.pid(), e.toString());
            }
        }
    }
}
