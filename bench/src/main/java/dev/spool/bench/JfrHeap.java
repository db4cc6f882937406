package dev.spool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * The launcher's heap in a stage's measured window, from the garbage collector's own summaries in its flight
 * recording ({@code jdk.GCHeapSummary}): what was live after each collection, which is what the work keeps, and
 * what was in use before one, which includes garbage not yet collected. Sampling used heap from outside sees only
 * the second.
 *
 * @param collections collections that ended in the window
 * @param liveAfterGcMaxMib the most heap in use right after a collection
 * @param usedBeforeGcMaxMib the most heap in use right before one: the peak, garbage included
 * @param committedMaxMib the most heap the JVM had taken from the system
 */
record JfrHeap(int collections, double liveAfterGcMaxMib, double usedBeforeGcMaxMib, double committedMaxMib) {

    private static final double MIB = 1024.0 * 1024.0;

    static JfrHeap of(Path recording, Instant from, Instant to) throws IOException {
        if (!Files.exists(recording)) {
            return null;
        }
        int collections = 0;
        long liveMax = 0;
        long usedMax = 0;
        long committedMax = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!"jdk.GCHeapSummary".equals(event.getEventType().getName()) || event.getStartTime().isBefore(from)
                        || event.getStartTime().isAfter(to)) {
                    continue;
                }
                long used = event.getLong("heapUsed");
                committedMax = Math.max(committedMax, event.getLong("heapSpace.committedSize"));
                if ("After GC".equals(event.getString("when"))) {
                    collections++;
                    liveMax = Math.max(liveMax, used);
                } else {
                    usedMax = Math.max(usedMax, used);
                }
            }
        }
        return new JfrHeap(collections, BenchReport.round(liveMax / MIB), BenchReport.round(usedMax / MIB),
                BenchReport.round(committedMax / MIB));
    }
}
