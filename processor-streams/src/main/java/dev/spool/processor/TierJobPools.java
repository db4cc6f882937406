package dev.spool.processor;

import dev.spool.processor.config.ProcessorProperties;
import dev.spool.schemas.event.Priority;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pool of job threads per tier ({@code spool.processor.capacity.<tier>.jobs}): the attempts a tier's stream
 * tasks have in flight run here, so a backlog in one tier never holds another tier's threads. Closing interrupts
 * what still runs; its jobs stay in their tasks' in-flight stores and run again on the next start.
 */
public final class TierJobPools implements AutoCloseable {

    private final Map<Priority, ExecutorService> pools = new EnumMap<>(Priority.class);

    TierJobPools(ProcessorProperties.Capacities capacity) {
        for (Priority tier : Priority.values()) {
            pools.put(tier, Executors.newFixedThreadPool(capacity.of(tier).jobs(), threads(tier)));
        }
    }

    private static ThreadFactory threads(Priority tier) {
        AtomicInteger count = new AtomicInteger();
        return job -> {
            Thread thread = new Thread(job, "spool-jobs-" + tier.wireName() + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The pool of {@code tier}. */
    public ExecutorService of(Priority tier) {
        return pools.get(tier);
    }

    @Override
    public void close() {
        pools.values().forEach(ExecutorService::shutdownNow);
    }
}
