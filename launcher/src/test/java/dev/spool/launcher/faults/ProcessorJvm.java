package dev.spool.launcher.faults;

import dev.spool.processor.ProcessorApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * processor-streams in a JVM of its own, so that it can be killed outright (SIGKILL) as a crashed host would be,
 * while ingest and the projection go on in the test's JVM. Each start logs to its own file under {@code logDir} and
 * works in its own folder; the Streams state folder is shared, so a restart resumes as the same instance. Two of them
 * with their own state folders and instance ids are two instances of the processor.
 */
public final class ProcessorJvm {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorJvm.class);

    private final String name;
    private final Map<String, Object> properties;
    private final Path logDir;
    private final Path workRoot;
    private Process process;
    private int starts;
    private final List<Instant> kills = new ArrayList<>();

    /**
     * @param name what its logs are called
     * @param properties the processor's Spring properties, passed as {@code --name=value} arguments
     * @param logDir where each start writes {@code <name>-N.log}
     * @param workRoot below which each start gets its own work folder
     */
    public ProcessorJvm(String name, Map<String, Object> properties, Path logDir, Path workRoot) {
        this.name = name;
        this.properties = Map.copyOf(properties);
        this.logDir = logDir;
        this.workRoot = workRoot;
    }

    public synchronized void start() {
        starts++;
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                ProcessorApplication.class.getName()));
        properties.forEach((name, value) -> command.add("--" + name + "=" + value));
        command.add("--spool.processor.work-dir=" + workRoot.resolve("work-" + starts));
        Path log = logDir.resolve(name + "-" + starts + ".log");
        try {
            Files.createDirectories(logDir);
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the processor JVM", e);
        }
        LOG.info("Processor JVM {} {} started (pid {}), logging to {}", name, starts, process.pid(), log);
    }

    /** SIGKILL: no shutdown hook runs, no transaction is closed, no offset committed. */
    public synchronized void kill() {
        kills.add(Instant.now());
        process.destroyForcibly();
        awaitExit();
        LOG.info("Processor JVM {} {} killed, exit code {}", name, starts, process.exitValue());
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
            throw new IllegalStateException("interrupted while the processor JVM exited", e);
        }
    }
}
