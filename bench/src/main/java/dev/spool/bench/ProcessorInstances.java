package dev.spool.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * More processor instances beside a launcher's own, each a JVM of its own from processor-streams' runnable jar, on
 * the launcher's Kafka and S3 with an instance id and state folder of its own, as one runs several processors against
 * shared servers. They share the tiers' tasks with the launcher's processor.
 */
final class ProcessorInstances implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorInstances.class);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final List<Process> processes;

    private ProcessorInstances(List<Process> processes) {
        this.processes = processes;
    }

    /** Starts {@code count} instances (none for 0) and waits until each reports ready. */
    static ProcessorInstances start(Path jar, int count, LauncherProcess launcher, Path folder) throws Exception {
        List<Process> started = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        ProcessorInstances instances = new ProcessorInstances(started);
        try {
            for (int i = 1; i <= count; i++) {
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalArgumentException("no processor jar at " + jar.toAbsolutePath()
                            + "; build it with ./mvnw -B -q package -DskipTests");
                }
                Path home = Files.createDirectories(folder.resolve("processor-" + i));
                int port = freePort();
                List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dserver.port=" + port, "-jar", jar.toAbsolutePath().toString(),
                        "--spring.kafka.bootstrap-servers=" + launcher.kafkaBootstrapServers(),
                        "--spool.storage.endpoint=" + launcher.s3Endpoint(),
                        "--spool.storage.region=us-east-1",
                        "--spool.storage.access-key=" + LauncherProcess.S3_ACCESS_KEY,
                        "--spool.storage.secret-key=" + LauncherProcess.S3_SECRET_KEY,
                        "--spool.processor.instance-id=bench-processor-" + i,
                        "--spool.processor.state-dir=" + home.resolve("streams"),
                        "--spool.processor.work-dir=" + home.resolve("work"));
                LOG.info("Starting processor instance {}: {}", i, String.join(" ", command));
                started.add(new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(home.resolve("processor.log").toFile()).start());
                ports.add(port);
            }
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < ports.size(); i++) {
                awaitReady(http, started.get(i), ports.get(i));
            }
            return instances;
        } catch (Exception e) {
            instances.close();
            throw e;
        }
    }

    private static void awaitReady(HttpClient http, Process process, int port) throws Exception {
        URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("processor instance (pid " + process.pid() + ") exited with "
                        + process.exitValue());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(readiness).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    LOG.info("Processor instance ready (pid {})", process.pid());
                    return;
                }
            } catch (IOException notListeningYet) {
                LOG.debug("Processor instance not listening yet", notListeningYet);
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("processor instance (pid " + process.pid() + ") not ready within "
                + READY_TIMEOUT);
    }

    /** CPU time of every instance and its extraction workers so far. */
    Duration cpu() {
        return processes.stream().map(process -> ProcessCpu.total(process.toHandle())).reduce(Duration.ZERO,
                Duration::plus);
    }

    int count() {
        return processes.size();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            try {
                if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
