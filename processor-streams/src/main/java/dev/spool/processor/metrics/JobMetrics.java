package dev.spool.processor.metrics;

import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.Priority;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The processor's job meters: attempts by outcome and tier ({@code spool.processor.jobs}), processing time
 * ({@code spool.processor.job.duration}), retries by attempt, dead letters by error code, and jobs in flight and
 * waiting (read by a full task, durable, not started) per tier.
 */
public final class JobMetrics {

    private final MeterRegistry registry;
    private final Map<Priority, AtomicInteger> inFlight = new EnumMap<>(Priority.class);
    private final Map<Priority, AtomicInteger> waiting = new EnumMap<>(Priority.class);

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Priority tier : Priority.values()) {
            inFlight.put(tier, gauge("spool.processor.jobs.in.flight", "Jobs being processed right now", tier));
            waiting.put(tier, gauge("spool.processor.jobs.waiting",
                    "Jobs read by a task whose window was full, kept in its in-flight store until one ends", tier));
        }
    }

    private AtomicInteger gauge(String name, String description, Priority tier) {
        AtomicInteger count = new AtomicInteger();
        Gauge.builder(name, count, AtomicInteger::get).description(description).tag("tier", tier.wireName())
                .register(registry);
        return count;
    }

    /** {@code delta} more {@code tier} jobs wait in a full task (fewer when negative). */
    public void waiting(Priority tier, int delta) {
        waiting.get(tier).addAndGet(delta);
    }

    /** An attempt of a {@code tier} job began. */
    public void started(Priority tier) {
        inFlight.get(tier).incrementAndGet();
    }

    /**
     * An attempt of a {@code tier} job ended after {@code duration}.
     *
     * @param outcome {@code completed}, {@code retried}, {@code failed} or {@code dead_lettered}
     * @param code the error code of a failed attempt, {@code null} when it completed
     */
    public void finished(Priority tier, String outcome, ErrorCode code, Duration duration) {
        inFlight.get(tier).decrementAndGet();
        Counter.builder("spool.processor.jobs")
                .description("Job attempts by how they ended")
                .tag("tier", tier.wireName())
                .tag("outcome", outcome)
                .tag("code", code == null ? "none" : code.wireName())
                .register(registry)
                .increment();
        Timer.builder("spool.processor.job.duration")
                .description("Time one attempt took, download to stored text")
                .tag("tier", tier.wireName())
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
    }

    /** {@code jobs} attempts of a closing task were left to its next owner, which runs them again. */
    public void abandoned(Priority tier, int jobs) {
        inFlight.get(tier).addAndGet(-jobs);
    }

    /** A retry for attempt {@code nextAttempt} was scheduled. */
    public void retryScheduled(int nextAttempt) {
        Counter.builder("spool.processor.retries")
                .description("Retries scheduled, by the attempt they will be")
                .tag("attempt", Integer.toString(nextAttempt))
                .register(registry)
                .increment();
    }

    /** A record went to the dead-letter topic; {@code code} is an error code or {@code undecodable}. */
    public void deadLettered(String code) {
        Counter.builder("spool.processor.dead.letters")
                .description("Records sent to the dead-letter topic")
                .tag("code", code)
                .register(registry)
                .increment();
    }
}
