package dev.spool.processor.config;

import dev.spool.processor.extraction.PlainTextInProcess;
import dev.spool.processor.extraction.TextExtractor;
import dev.spool.processor.extraction.TikaTextExtractor;
import dev.spool.processor.extraction.sandbox.ForkedTextExtractor;
import dev.spool.schemas.topic.Priority;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extraction of each tier: small plain text in this process, everything else in the tier's own pool of worker
 * processes ({@code spool.processor.capacity.<tier>.workers}), so a tier's documents never wait for a worker another
 * tier holds. Closing stops every worker.
 */
public final class TierExtractors implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TierExtractors.class);

    private final Map<Priority, ForkedTextExtractor> workers = new EnumMap<>(Priority.class);
    private final Map<Priority, TextExtractor> extractors = new EnumMap<>(Priority.class);
    /** Shared by the tiers: it is thread-safe, and its language models are worth loading once. */
    private final TikaTextExtractor inProcess;

    TierExtractors(ProcessorProperties.Extraction extraction, ProcessorProperties.Capacities capacity) {
        inProcess = new TikaTextExtractor(extraction.limits());
        for (Priority tier : Priority.values()) {
            ForkedTextExtractor forked = new ForkedTextExtractor(extraction.limits(), capacity.of(tier).workers());
            workers.put(tier, forked);
            extractors.put(tier, new PlainTextInProcess(inProcess, forked, extraction.inProcessTextMax().toBytes()));
        }
    }

    /**
     * Starts one worker per tier and loads the in-process language models in the background, so that the first jobs
     * do not wait for a cold start.
     */
    void prestart() {
        Thread warming = new Thread(() -> {
            try {
                inProcess.warmUp();
            } catch (RuntimeException e) {
                LOG.warn("Could not load the language models ahead of time: {}", e.toString());
            }
            workers.values().forEach(ForkedTextExtractor::prestart);
        }, "extraction-prestart");
        warming.setDaemon(true);
        warming.start();
    }

    /** The extraction of {@code tier}. */
    public TextExtractor of(Priority tier) {
        return extractors.get(tier);
    }

    @Override
    public void close() {
        workers.values().forEach(ForkedTextExtractor::close);
    }
}
