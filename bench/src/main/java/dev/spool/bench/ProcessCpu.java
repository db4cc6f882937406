package dev.spool.bench;

import java.time.Duration;
import java.util.stream.Stream;

/**
 * CPU time of a process and all its descendants, as the operating system accounts it. A descendant that exits
 * between two readings takes its CPU time with it, so the difference of two readings is a lower bound when
 * children come and go; the launcher's children (Redis, the extraction workers) live as long as it does.
 */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** CPU time used so far by {@code root} and every live descendant of it. */
    static Duration total(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants()).map(ProcessCpu::own).reduce(Duration.ZERO, Duration::plus);
    }

    /** CPU time used so far by {@code process} itself. */
    static Duration own(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
