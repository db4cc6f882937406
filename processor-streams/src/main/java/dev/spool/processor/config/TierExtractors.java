package dev.spool.processor.config;

import dev.spool.processor.extraction.ExtractionLimits;
import dev.spool.processor.extraction.sandbox.ForkedTextExtractor;
import dev.spool.schemas.topic.Priority;
import java.util.EnumMap;
import java.util.Map;

/**
 * One pool of extraction workers per tier, as many as the tier has stream threads: a tier's documents never wait for
 * a worker another tier holds. Closing stops every worker.
 */
public final class TierExtractors implements AutoCloseable {

    private final Map<Priority, ForkedTextExtractor> pools = new EnumMap<>(Priority.class);

    TierExtractors(ExtractionLimits limits, ProcessorProperties.Threads threads) {
        for (Priority tier : Priority.values()) {
            pools.put(tier, new ForkedTextExtractor(limits, ProcessorConfiguration.threads(threads, tier)));
        }
    }

    /** Starts one worker per tier in the background, so that the first jobs do not wait for a cold start. */
    void prestart() {
        Thread warming = new Thread(() -> pools.values().forEach(ForkedTextExtractor::prestart), "extraction-prestart");
        warming.setDaemon(true);
        warming.start();
    }

    /** The workers of {@code tier}. */
    public ForkedTextExtractor of(Priority tier) {
        return pools.get(tier);
    }

    @Override
    public void close() {
        pools.values().forEach(ForkedTextExtractor::close);
    }
}
