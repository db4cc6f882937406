package dev.spool.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spool launcher as a child process with the services a bench asks for (by default ingest and the projection
 * only, so that no processor competes for CPU by extracting the uploaded files), its data in a folder of its own
 * and every port chosen free. Closing it stops the child with SIGTERM, so that the launcher's own hook stops the
 * Redis process it started.
 */
final class LauncherProcess implements AutoCloseable {

    static final String S3_ACCESS_KEY = "spool";
    static final String S3_SECRET_KEY = "spool-secret-key";

    private static final Logger LOG = LoggerFactory.getLogger(LauncherProcess.class);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final int s3Port;
    private final int kafkaPort;
    private final int readinessPort;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private LauncherProcess(Process process, Path log, int httpPort, int s3Port, int kafkaPort, int readinessPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.s3Port = s3Port;
        this.kafkaPort = kafkaPort;
        this.readinessPort = readinessPort;
    }

    static LauncherProcess start(Path jar, String heap, Path dataDir, String jwtSecret) throws IOException {
        return start(jar, heap, dataDir, jwtSecret, "ingest,projection", List.of());
    }

    /**
     * Starts the launcher with the services {@code services} (as {@code SPOOL_SERVICES} takes them) and extra JVM
     * options such as {@code -Dspool.ratelimit.enabled=false} or {@code -XX:StartFlightRecording=...}.
     */
    static LauncherProcess start(Path jar, String heap, Path dataDir, String jwtSecret, String services,
            List<String> jvmOptions) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no launcher jar at " + jar.toAbsolutePath()
                    + "; build it with ./mvnw -B -q package -DskipTests");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (heap != null) {
            command.add("-Xmx" + heap);
        }
        command.addAll(List.of("-Dspool.ingest.max-file-size=6GB", "-Dspool.ingest.max-request-size=6GB"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        int[] ports = freePorts(8);
        Path log = dataDir.resolveSibling("launcher.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("SPOOL_SERVICES", services);
        env.put("SPOOL_DATA_DIR", dataDir.toString());
        env.put("SPOOL_AUTH_JWT_SECRET", jwtSecret);
        env.put("SPOOL_HTTP_PORT", Integer.toString(ports[0]));
        env.put("SPOOL_S3_PORT", Integer.toString(ports[1]));
        env.put("SPOOL_KAFKA_PORT", Integer.toString(ports[2]));
        env.put("SPOOL_KAFKA_CONTROLLER_PORT", Integer.toString(ports[3]));
        env.put("SPOOL_MONGO_PORT", Integer.toString(ports[4]));
        env.put("SPOOL_REDIS_PORT", Integer.toString(ports[5]));
        env.put("SPOOL_PROCESSOR_PORT", Integer.toString(ports[6]));
        env.put("SPOOL_PROJECTION_PORT", Integer.toString(ports[7]));
        LOG.info("Starting {}", String.join(" ", command));
        return new LauncherProcess(builder.start(), log, ports[0], ports[1], ports[2],
                readinessPort(services, ports[0], ports[6], ports[7]));
    }

    /**
     * Without ingest there is no HTTP API; the processor and the projection then tell their readiness on their
     * own management ports.
     */
    private static int readinessPort(String services, int http, int processor, int projection) {
        List<String> names = List.of(services.replace(" ", "").split(","));
        if (names.contains("ingest")) {
            return http;
        }
        return names.contains("processor") ? processor : projection;
    }

    /** Ports are held open together so that no two of them are the same; a race with other programs remains. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    void awaitReady(HttpClient http) throws IOException, InterruptedException {
        URI readiness = URI.create("http://127.0.0.1:" + readinessPort + "/actuator/health/readiness");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the launcher exited with " + process.exitValue() + "\n" + logTail());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(readiness).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().replace(" ", "").contains("\"status\":\"UP\"")) {
                    LOG.info("Launcher ready (pid {}) at {}", process.pid(), baseUrl());
                    return;
                }
            } catch (IOException notListeningYet) {
                LOG.debug("Launcher not listening yet", notListeningYet);
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the launcher was not ready within " + READY_TIMEOUT + "\n" + logTail());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    String s3Endpoint() {
        return "http://127.0.0.1:" + s3Port;
    }

    /** The embedded Kafka broker's bootstrap address. */
    String kafkaBootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    long pid() {
        return process.pid();
    }

    /** The launcher process, whose descendants are its Redis server and the processor's extraction workers. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    /** The end of the launcher's output, for error messages: the folder it lives in is deleted afterwards. */
    /** Copies the launcher's whole log to {@code target}, e.g. to keep the evidence of a failed run. */
    void copyLog(Path target) throws IOException {
        Files.copy(log, target, StandardCopyOption.REPLACE_EXISTING);
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(launcher log unreadable: " + e + ")";
        }
    }

    /** Safe to call twice: once on the normal path, once more from the JVM shutdown hook. */
    @Override
    public void close() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("The launcher did not stop within {}; killing it", STOP_TIMEOUT);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        LOG.info("Launcher stopped");
    }
}
