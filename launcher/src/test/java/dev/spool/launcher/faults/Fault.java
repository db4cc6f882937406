package dev.spool.launcher.faults;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * One scripted fault: what starts it, how long it lasts, what ends it, and which completed jobs show that the work
 * it held back resumed.
 *
 * @param name what breaks, as the figures name it
 * @param period how long the fault is held between {@code begin} and {@code end}
 * @param begin breaks something
 * @param end repairs it
 * @param resumedBy whether a job, by id, completed after the fault ended counts as recovery
 */
public record Fault(String name, Duration period, Runnable begin, Runnable end, Predicate<String> resumedBy) {

    /** A fault that holds back every job: any job completed after it ended counts. */
    public Fault(String name, Duration period, Runnable begin, Runnable end) {
        this(name, period, begin, end, jobId -> true);
    }
}
