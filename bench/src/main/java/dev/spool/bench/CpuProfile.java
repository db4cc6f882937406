package dev.spool.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where all of a launcher's CPU went during a stage's saturation window, from async-profiler's CPU samples (every
 * thread, native frames, GC and compiler included, one sample per interval of CPU time): by component, the
 * innermost frame that belongs to a known library or server, so that "Kafka broker", "S3Proxy" or "Tika" are named
 * even when the top frame is a JDK method they called; by thread group; and by top frame. JFR's own sampler looks at
 * a few threads per period only, which is why the stage's hot spots cannot answer this.
 *
 * @param samples CPU samples in the window
 * @param jitPercent share of the samples in the JIT compiler's threads: a fresh JVM of this size compiles for minutes,
 *     so a short stage pays for it; without it the figures come closer to a warm, long-running process
 * @param components share of samples by component
 * @param threads share of samples by thread group (digits and ids in thread names folded)
 * @param frames the most sampled top frames
 */
record CpuProfile(long samples, double jitPercent, List<Share> components, List<Share> threads, List<Share> frames) {

    private static final int SHOWN = 15;
    private static final Pattern NUMBERS = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|\\d+");

    /** Package prefixes by component, the more specific first. */
    private static final List<Map.Entry<String, String>> COMPONENTS = List.of(
            Map.entry("org.gaul.", "S3Proxy (embedded S3)"),
            Map.entry("org.jclouds.", "S3Proxy (embedded S3)"),
            Map.entry("de.bwaldvogel.", "Mongo-wire server"),
            Map.entry("org.h2.", "Mongo-wire server (H2 store)"),
            Map.entry("kafka.", "Kafka broker"),
            Map.entry("org.apache.kafka.server.", "Kafka broker"),
            Map.entry("org.apache.kafka.storage.", "Kafka broker"),
            Map.entry("org.apache.kafka.coordinator.", "Kafka broker"),
            Map.entry("org.apache.kafka.raft.", "Kafka broker"),
            Map.entry("org.apache.kafka.metadata.", "Kafka broker"),
            Map.entry("org.apache.kafka.image.", "Kafka broker"),
            Map.entry("org.apache.kafka.streams.", "Kafka Streams"),
            Map.entry("org.rocksdb.", "Kafka Streams"),
            Map.entry("org.apache.kafka.", "Kafka clients"),
            Map.entry("com.optimaize.", "language detection"),
            Map.entry("org.apache.tika.", "Tika"),
            Map.entry("software.amazon.", "AWS SDK"),
            Map.entry("org.apache.http.", "AWS SDK"),
            Map.entry("io.lettuce.", "Redis client"),
            Map.entry("com.mongodb.", "MongoDB driver"),
            Map.entry("org.bson.", "MongoDB driver"),
            Map.entry("tools.jackson.", "Jackson"),
            Map.entry("com.fasterxml.jackson.", "Jackson"),
            Map.entry("io.netty.", "Netty"),
            Map.entry("reactor.", "Reactor"),
            Map.entry("org.springframework.security.", "Spring Security"),
            Map.entry("org.springframework.", "Spring"),
            Map.entry("io.micrometer.", "Micrometer"),
            Map.entry("ch.qos.logback.", "logging"),
            Map.entry("org.slf4j.", "logging"),
            Map.entry("io.github.resilience4j.", "resilience4j"),
            Map.entry("dev.spool.", "Spool"));

    CpuProfile {
        components = List.copyOf(components);
        threads = List.copyOf(threads);
        frames = List.copyOf(frames);
    }

    /**
     * A part and its share.
     *
     * @param name component, thread group or method
     * @param samples samples it took
     * @param percent its share of all samples in the window
     */
    record Share(String name, long samples, double percent) {
    }

    /** Reads async-profiler's recording, keeping the samples within [from, to]; {@code null} when there is none. */
    static CpuProfile of(Path recording, Instant from, Instant to) throws IOException {
        if (!Files.isRegularFile(recording)) {
            return null;
        }
        Map<String, Long> components = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> frames = new HashMap<>();
        long samples = 0;
        long jit = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!"jdk.ExecutionSample".equals(event.getEventType().getName())
                        || event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
                    continue;
                }
                samples++;
                RecordedThread thread = event.getThread("sampledThread");
                String threadName = thread == null ? "?" : thread.getJavaName() != null ? thread.getJavaName()
                        : thread.getOSName();
                threads.merge(NUMBERS.matcher(String.valueOf(threadName)).replaceAll("N"), 1L, Long::sum);
                if (String.valueOf(threadName).contains("CompilerThre")) {
                    jit++;
                }
                RecordedStackTrace stack = event.getStackTrace();
                List<RecordedFrame> stackFrames = stack == null ? List.of() : stack.getFrames();
                components.merge(component(stackFrames), 1L, Long::sum);
                frames.merge(stackFrames.isEmpty() ? "(no stack)" : name(stackFrames.get(0)), 1L, Long::sum);
            }
        }
        double jitPercent = BenchReport.round(100.0 * jit / Math.max(1, samples));
        return new CpuProfile(samples, jitPercent, top(components, samples), top(threads, samples), top(frames, samples));
    }

    private static String component(List<RecordedFrame> frames) {
        boolean java = false;
        for (RecordedFrame frame : frames) {
            if (!frame.isJavaFrame()) {
                continue;
            }
            java = true;
            String type = frame.getMethod().getType().getName();
            for (Map.Entry<String, String> component : COMPONENTS) {
                if (type.startsWith(component.getKey())) {
                    return component.getValue();
                }
            }
        }
        // async-profiler marks native frames as Java frames too, so the JIT's and GC's threads land here
        return java ? "JDK, JVM or kernel only (JIT and GC threads included)" : "JVM (GC, JIT, native)";
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod() == null ? "?" : frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static List<Share> top(Map<String, Long> counts, long total) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(SHOWN)
                .map(entry -> new Share(entry.getKey(), entry.getValue(),
                        BenchReport.round(100.0 * entry.getValue() / Math.max(1, total))))
                .toList();
    }

    /** Prints the profile; {@code cpuPerUnit} is the launcher's CPU per unit, to tell it without the JIT as well. */
    void print(PrintStream out, String stage, double cpuPerUnit, String unit) {
        out.printf(Locale.ROOT, "%nWhere the CPU goes, %s (async-profiler, every thread of the launcher; %d samples)%n",
                stage, samples);
        out.printf(Locale.ROOT, "  JIT compiler threads: %.1f %% of the samples; without them %.3f ms of CPU per %s%n",
                jitPercent, cpuPerUnit * (1 - jitPercent / 100), unit);
        print(out, "by component (innermost frame of a known library or server)", components);
        print(out, "by thread group", threads);
        print(out, "by top frame", frames);
    }

    private static void print(PrintStream out, String title, List<Share> shares) {
        out.println("  " + title + ":");
        shares.forEach(share -> out.printf(Locale.ROOT, "    %5.1f %%  %7d  %s%n", share.percent(), share.samples(),
                share.name()));
    }
}
