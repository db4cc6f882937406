package dev.spool.infra.redis;

import dev.spool.infra.net.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real redis-server child process bound to loopback. Its pid is kept in the data folder: a previous run that was
 * killed outright leaves its redis-server holding the port, and the next start ends that orphan first.
 */
public final class RedisProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisProcess.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path pidFile;
    private final int port;

    private RedisProcess(Process process, Path pidFile, int port) {
        this.process = process;
        this.pidFile = pidFile;
        this.port = port;
    }

    public static RedisProcess start(Path dataDir, int requestedPort, boolean persistent) {
        try {
            Files.createDirectories(dataDir);
            Path pidFile = dataDir.resolve("redis.pid");
            killOrphan(pidFile);
            int port = FreePorts.resolve(requestedPort);
            List<String> command = new ArrayList<>(List.of(RedisExecutable.locate(dataDir).toString(),
                    "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dataDir.toString(),
                    "--daemonize", "no", "--protected-mode", "yes"));
            command.addAll(persistent ? List.of("--appendonly", "yes", "--save", "60 1")
                    : List.of("--appendonly", "no", "--save", ""));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("redis.log").toFile())
                    .start();
            Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.UTF_8);
            awaitPort(process, port);
            LOG.info("Redis listening on 127.0.0.1:{} (pid {})", port, process.pid());
            return new RedisProcess(process, pidFile, port);
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server failed to start", e);
        }
    }

    private static void killOrphan(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
        Optional<ProcessHandle> orphan = pid.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(pid));
        orphan.filter(ProcessHandle::isAlive)
                .filter(RedisProcess::isRedis)
                .ifPresent(handle -> {
                    LOG.warn("Ending redis-server {} left behind by an earlier run", handle.pid());
                    handle.destroyForcibly();
                    handle.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                });
        Files.delete(pidFile);
    }

    /**
     * Debian's redis-server is a link to redis-check-rdb and retitles itself, so neither the executable nor the
     * title says "redis-server" reliably; either naming redis is enough to tell it from a recycled pid.
     */
    private static boolean isRedis(ProcessHandle handle) {
        return handle.info().commandLine().or(() -> handle.info().command())
                .map(command -> command.contains("redis"))
                .orElse(false);
    }

    private static void awaitPort(Process process, int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see redis.log");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not listen on port " + port + " within " + START_TIMEOUT);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(pidFile);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("could not remove {}", pidFile, e);
        }
    }
}
