package dev.spool.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one stage of {@link PipelineThroughputBench}.
 *
 * @param stage {@code reference}, {@code processor}, {@code projection} or {@code e2e}
 * @param unit what is counted: {@code records} (reference), {@code jobs} or {@code events} (projection)
 * @param units how many went through in the saturation run
 * @param seconds how long they took, from the first produced or uploaded to the last done
 * @param perSecond units over seconds: the saturation throughput
 * @param ratioToReference perSecond over the reference's records per second; {@code null} without a reference run
 * @param paced the run at half of saturation, {@code null} where the stage has none
 * @param launcherCpuMillisPerUnit CPU time of the launcher and its descendants per unit, in the saturation run
 * @param benchCpuMillisPerUnit CPU time of the bench JVM per unit (the reference loop runs there)
 * @param launcherCores launcher CPU time over wall time: how many of the cores it kept busy
 * @param details stage-specific figures
 * @param hotspots where the launcher's time went in the saturation run
 * @param cpuProfile where all of the launcher's CPU went in the saturation run; {@code null} without
 *     {@code --async-profiler}
 */
record StageResult(String stage, String unit, long units, double seconds, double perSecond, Double ratioToReference,
        Paced paced, double launcherCpuMillisPerUnit, double benchCpuMillisPerUnit, double launcherCores,
        Map<String, Object> details, JfrHotspots hotspots, CpuProfile cpuProfile) {

    StageResult {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /**
     * A paced run.
     *
     * @param offeredPerSecond the rate asked for: half of the saturation throughput
     * @param sentPerSecond the rate achieved
     * @param jobs jobs sent
     * @param notCompleted jobs that did not complete within the drain
     * @param latency from produce (or the upload's 202) to the completed fact (or the completed status on GET)
     * @param measuredTo what the latency ends at
     */
    record Paced(double offeredPerSecond, double sentPerSecond, int jobs, int notCompleted, LatencySummary latency,
            String measuredTo) {
    }

    static StageResult of(String stage, String unit, long units, double seconds, Paced paced, CpuWindow.Usage cpu,
            Map<String, Object> details, JfrHotspots hotspots, CpuProfile cpuProfile) {
        double per = Math.max(units, 1);
        return new StageResult(stage, unit, units, BenchReport.round(seconds), BenchReport.round(units / seconds), null, paced,
                round3(cpu.launcher().toNanos() / 1e6 / per), round3(cpu.bench().toNanos() / 1e6 / per),
                BenchReport.round(cpu.launcher().toNanos() / (double) Math.max(1, cpu.wall().toNanos())), details, hotspots,
                cpuProfile);
    }

    StageResult withReference(double referencePerSecond) {
        return new StageResult(stage, unit, units, seconds, perSecond, round3(perSecond / referencePerSecond), paced,
                launcherCpuMillisPerUnit, benchCpuMillisPerUnit, launcherCores, details, hotspots, cpuProfile);
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
