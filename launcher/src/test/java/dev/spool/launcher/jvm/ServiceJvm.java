package dev.spool.launcher.jvm;

import dev.spool.processor.ProcessorApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of Spool's services in a JVM of its own, so that it can be killed outright (SIGKILL) as a crashed host would be,
 * while the rest goes on. It runs the service's main class on this JVM's class path, with its Spring properties as
 * {@code --name=value} arguments; each start logs to its own file under {@code logDir}. Several of them with their
 * own ports (and, for the processor, their own instance ids and state folders) are several instances of a service.
 */
public final class ServiceJvm {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceJvm.class);

    private final String name;
    private final Class<?> application;
    private final Map<String, Object> properties;
    private final Map<String, String> environment;
    private final IntFunction<Map<String, Object>> perStart;
    private final Path logDir;
    private final int port;
    private Process process;
    private Path logFile;
    private int starts;
    private final List<Instant> kills = new ArrayList<>();

    private ServiceJvm(String name, Class<?> application, Map<String, Object> properties,
            Map<String, String> environment, IntFunction<Map<String, Object>> perStart, Path logDir, int port) {
        this.name = name;
        this.application = application;
        this.properties = Map.copyOf(properties);
        this.environment = Map.copyOf(environment);
        this.perStart = perStart;
        this.logDir = logDir;
        this.port = port;
    }

    /**
     * A service whose main class serves HTTP when given {@code SERVER_PORT}, as docker-compose starts it.
     *
     * @param port its HTTP port, or a negative number for none
     */
    public static ServiceJvm of(String name, Class<?> application, Map<String, Object> properties, int port,
            Path logDir) {
        return create(name, application, properties, port, start -> Map.of(), logDir);
    }

    /**
     * The processor, each start in a work folder of its own below {@code workRoot}; the Streams state folder comes with
     * the properties, so that a restart resumes as the same instance.
     */
    public static ServiceJvm processor(String name, Map<String, Object> properties, int port, Path logDir,
            Path workRoot) {
        return create(name, ProcessorApplication.class, properties, port,
                start -> Map.of("spool.processor.work-dir", workRoot.resolve("work-" + start)), logDir);
    }

    private static ServiceJvm create(String name, Class<?> application, Map<String, Object> properties, int port,
            IntFunction<Map<String, Object>> perStart, Path logDir) {
        Map<String, Object> all = new HashMap<>(properties);
        Map<String, String> environment = new HashMap<>();
        if (port >= 0) {
            all.put("server.port", port);
            environment.put("SERVER_PORT", Integer.toString(port));
        }
        return new ServiceJvm(name, application, all, environment, perStart, logDir, port);
    }

    public synchronized void start() {
        starts++;
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                application.getName()));
        Map<String, Object> all = new HashMap<>(properties);
        all.putAll(perStart.apply(starts));
        all.forEach((key, value) -> command.add("--" + key + "=" + value));
        logFile = logDir.resolve(name + "-" + starts + ".log");
        try {
            Files.createDirectories(logDir);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the JVM of " + name, e);
        }
        LOG.info("JVM {} {} started (pid {}), logging to {}", name, starts, process.pid(), logFile);
    }

    /** Its HTTP port; negative when it serves none. */
    public int port() {
        return port;
    }

    /** Where the latest start writes its output. */
    public synchronized Path logFile() {
        return logFile;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, no transaction is closed, no offset committed. */
    public synchronized void kill() {
        kills.add(Instant.now());
        process.destroyForcibly();
        awaitExit();
        LOG.info("JVM {} {} killed, exit code {}", name, starts, process.exitValue());
    }

    /** When each {@link #kill} was sent, in order. */
    public synchronized List<Instant> kills() {
        return List.copyOf(kills);
    }

    /** SIGTERM, as at the end of the run. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        awaitExit();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the JVM of " + name + " exited", e);
        }
    }
}
