package dev.spool.bench;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Everything one bench run found, written as JSON. Throughputs are in MiB/s (2^20 bytes per second), heap figures
 * in MiB.
 *
 * @param date when the run started (ISO-8601, UTC)
 * @param host what the figures were measured on
 * @param launcherHeap the launcher's {@code -Xmx}, or {@code default} for the JVM's default (a quarter of RAM)
 * @param sizes one entry per file size
 */
record BenchReport(String date, String protocol, Host host, String launcherHeap, List<SizeResult> sizes) {

    BenchReport {
        sizes = List.copyOf(sizes);
    }

    /**
     * The machine and JVM.
     *
     * @param cores available processors
     * @param totalRamGib physical memory
     * @param javaVersion runtime version of the JVM running the bench and the launcher
     * @param os operating system name, version and architecture
     */
    record Host(int cores, double totalRamGib, String javaVersion, String os) {

        /** This machine and this JVM. */
        static Host current() {
            long ram = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize();
            return new Host(Runtime.getRuntime().availableProcessors(), round(ram / (1024.0 * 1024 * 1024)),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"));
        }
    }

    /**
     * The figures for one file size.
     *
     * @param size the size as written on the command line, e.g. {@code 5GiB}
     * @param bytes the size in bytes
     * @param referenceMibPerSecond direct AWS SDK multipart upload, one part after another
     * @param parallelReferenceMibPerSecond direct AWS SDK multipart upload, {@link IngestThroughputBench#PARALLEL_PARTS}
     *     parts at once (as the SDK's transfer manager sends them)
     * @param ingestMibPerSecond Spool's {@code POST /api/v1/uploads}
     * @param ratioBest best ingest throughput over best reference throughput
     * @param ratioMean mean ingest throughput over mean reference throughput
     * @param parallelRatioBest best ingest throughput over best parallel reference throughput
     * @param parallelRatioMean mean ingest throughput over mean parallel reference throughput
     * @param heap launcher heap around the ingest run with the highest peak
     * @param incompleteRuns runs whose stored object differs in size from the file (see {@link Run#storedBytes()})
     * @param runs every timed run, in the order they ran
     */
    record SizeResult(String size, long bytes, Throughput referenceMibPerSecond, Throughput parallelReferenceMibPerSecond,
            Throughput ingestMibPerSecond, double ratioBest, double ratioMean, double parallelRatioBest,
            double parallelRatioMean, Heap heap, long incompleteRuns, List<Run> runs) {

        SizeResult {
            runs = List.copyOf(runs);
        }
    }

    /**
     * Best and mean throughput over the rounds.
     *
     * @param best highest
     * @param mean arithmetic mean
     */
    record Throughput(double best, double mean) {

        static Throughput of(List<Run> runs) {
            return new Throughput(round(runs.stream().mapToDouble(Run::mibPerSecond).max().orElseThrow()),
                    round(runs.stream().mapToDouble(Run::mibPerSecond).average().orElseThrow()));
        }
    }

    /**
     * Used launcher heap around an ingest run.
     *
     * @param beforeMib after a requested full GC, just before the upload
     * @param peakMib highest sample while the upload ran
     * @param growthMib peak minus before
     * @param samples how many samples the peak is taken from
     */
    record Heap(double beforeMib, double peakMib, double growthMib, long samples) {
    }

    /**
     * One timed upload.
     *
     * @param kind {@code reference}, {@code parallel-reference} or {@code ingest}
     * @param round from 1
     * @param seconds wall time from the first byte sent to the answer
     * @param mibPerSecond size over wall time
     * @param heap launcher heap for ingest runs, {@code null} for reference runs
     * @param cpu the CPU time the run took, per GiB sent
     * @param storedBytes the size of the stored object; anything but the file's size is a lost or added byte,
     *     which the bench reports rather than hides
     * @param firstDifferenceAt the offset of the first byte in which the stored object differs from the file (or
     *     where the shorter one ends), {@code null} when they have the same size
     */
    record Run(String kind, int round, double seconds, double mibPerSecond, Heap heap, Cpu cpu, long storedBytes,
            Long firstDifferenceAt) {
    }

    /**
     * CPU time of one run per GiB sent: the launcher's (ingest, S3Proxy and the rest of the embedded stack) and the
     * bench's own (the client, and during ingest runs the heap sampler).
     */
    record Cpu(double launcherSecondsPerGib, double benchSecondsPerGib) {

        static Cpu of(CpuWindow.Usage usage, long bytes) {
            double gib = bytes / (1024.0 * 1024 * 1024);
            return new Cpu(Math.round(usage.launcher().toMillis() / 1000.0 / gib * 100) / 100.0,
                    Math.round(usage.bench().toMillis() / 1000.0 / gib * 100) / 100.0);
        }
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
