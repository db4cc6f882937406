package dev.spool.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a stage's time went, from a flight recording of the launcher: the methods its threads were running when
 * sampled (self time), and the frames they waited in, with the total time waited. Only events of the chosen
 * threads inside the stage's time window count, so start-up and idle phases stay out.
 *
 * @param threads which threads counted, as described to the reader
 * @param samples execution samples that counted
 * @param running the most sampled top frames
 * @param waiting the frames most time was waited in
 */
record JfrHotspots(String threads, long samples, List<Frame> running, List<Wait> waiting) {

    private static final Set<String> WAIT_EVENTS = Set.of("jdk.ThreadPark", "jdk.SocketRead", "jdk.JavaMonitorWait");
    private static final int RUNNING_FRAMES = 15;
    private static final int WAITING_FRAMES = 10;

    JfrHotspots {
        running = List.copyOf(running);
        waiting = List.copyOf(waiting);
    }

    /**
     * A sampled method.
     *
     * @param method class and method name
     * @param samples how often it was the top frame
     * @param percent its share of the samples
     */
    record Frame(String method, long samples, double percent) {
    }

    /**
     * Where threads waited.
     *
     * @param event {@code jdk.ThreadPark}, {@code jdk.SocketRead} or {@code jdk.JavaMonitorWait}
     * @param method the first frame outside the JDK: the code that chose to wait
     * @param count how many waits
     * @param totalMillis how long they lasted together
     */
    record Wait(String event, String method, long count, double totalMillis) {
    }

    /** Reads {@code recording}, keeping the events of threads whose name {@code thread} accepts within [from, to]. */
    static JfrHotspots of(Path recording, String threads, Predicate<String> thread, Instant from, Instant to)
            throws IOException {
        if (!Files.isRegularFile(recording)) {
            return new JfrHotspots(threads + " (no recording: the launcher did not exit cleanly)", 0, List.of(), List.of());
        }
        Map<String, Long> running = new HashMap<>();
        Map<String, long[]> waiting = new HashMap<>();
        long samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String type = event.getEventType().getName();
                boolean sample = "jdk.ExecutionSample".equals(type);
                if (!sample && !WAIT_EVENTS.contains(type) || event.getStartTime().isBefore(from)
                        || event.getStartTime().isAfter(to) || event.getStackTrace() == null) {
                    continue;
                }
                RecordedThread owner = sample ? event.getThread("sampledThread") : event.getThread();
                if (owner == null || owner.getJavaName() == null || !thread.test(owner.getJavaName())) {
                    continue;
                }
                if (sample) {
                    samples++;
                    running.merge(name(event.getStackTrace().getFrames().get(0)), 1L, Long::sum);
                } else {
                    long[] wait = waiting.computeIfAbsent(type + " " + caller(event.getStackTrace()), key -> new long[2]);
                    wait[0]++;
                    wait[1] += event.getDuration().toNanos();
                }
            }
        }
        long total = samples;
        List<Frame> top = running.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(RUNNING_FRAMES)
                .map(entry -> new Frame(entry.getKey(), entry.getValue(), BenchReport.round(100.0 * entry.getValue() / total)))
                .toList();
        List<Wait> waits = waiting.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> entry) -> entry.getValue()[1]).reversed())
                .limit(WAITING_FRAMES)
                .map(entry -> {
                    String[] key = entry.getKey().split(" ", 2);
                    return new Wait(key[0], key[1], entry.getValue()[0], BenchReport.round(entry.getValue()[1] / 1e6));
                })
                .toList();
        return new JfrHotspots(threads, samples, top, waits);
    }

    /**
     * The top frame of a park or a socket read is always the JDK's; the first frame after it says who waited. A
     * thread of a JDK pool has no such frame; then the first frame above the locks says what it waited for.
     */
    private static String caller(RecordedStackTrace stack) {
        List<RecordedFrame> frames = stack.getFrames().stream().filter(RecordedFrame::isJavaFrame).toList();
        return frames.stream().filter(frame -> !jdk(frame)).findFirst()
                .or(() -> frames.stream().filter(frame -> !lock(frame)).findFirst())
                .map(JfrHotspots::name)
                .orElse(name(stack.getFrames().get(0)));
    }

    private static boolean jdk(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.");
    }

    private static boolean lock(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.startsWith("jdk.internal.") || type.startsWith("java.util.concurrent.locks.");
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    void print(PrintStream out, String stage, Duration window) {
        out.printf(Locale.ROOT, "%nWhere the time goes, %s (%s; %d samples over %.1f s)%n", stage, threads, samples,
                window.toMillis() / 1e3);
        out.println("  running (top frame, share of samples):");
        running.forEach(frame -> out.printf(Locale.ROOT, "    %5.1f %%  %7d  %s%n", frame.percent(), frame.samples(),
                frame.method()));
        out.println("  waiting (first frame outside the JDK, total time waited):");
        waiting.forEach(wait -> out.printf(Locale.ROOT, "    %10.1f ms  %7d  %-20s %s%n", wait.totalMillis(), wait.count(),
                wait.event(), wait.method()));
    }
}
