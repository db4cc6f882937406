package dev.spool.bench;

import java.time.Duration;
import java.time.Instant;

/**
 * The CPU a measured phase cost: of the launcher with its descendants, and of the bench's own JVM (which runs the
 * reference loop and every client), read at the phase's start and end.
 */
final class CpuWindow {

    private final ProcessHandle launcher;
    private final Instant from;
    private final Duration launcherBefore;
    private final Duration benchBefore;

    private CpuWindow(ProcessHandle launcher) {
        this.launcher = launcher;
        this.from = Instant.now();
        this.launcherBefore = ProcessCpu.total(launcher);
        this.benchBefore = ProcessCpu.own(ProcessHandle.current());
    }

    static CpuWindow open(ProcessHandle launcher) {
        return new CpuWindow(launcher);
    }

    /** The phase ended now. */
    Usage close() {
        return new Usage(from, Instant.now(), ProcessCpu.total(launcher).minus(launcherBefore),
                ProcessCpu.own(ProcessHandle.current()).minus(benchBefore));
    }

    /**
     * What a phase used.
     *
     * @param from when it started
     * @param to when it ended
     * @param launcher CPU time of the launcher and its descendants
     * @param bench CPU time of the bench JVM alone (the launcher is one of its descendants)
     */
    record Usage(Instant from, Instant to, Duration launcher, Duration bench) {

        Duration wall() {
            return Duration.between(from, to);
        }
    }
}
