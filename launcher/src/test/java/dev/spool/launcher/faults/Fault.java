package dev.spool.launcher.faults;

import java.time.Duration;

/**
 * One scripted fault: what starts it, how long it lasts, and what ends it.
 *
 * @param name what breaks, as the figures name it
 * @param period how long the fault is held between {@code begin} and {@code end}
 * @param begin breaks something
 * @param end repairs it
 */
public record Fault(String name, Duration period, Runnable begin, Runnable end) {
}
