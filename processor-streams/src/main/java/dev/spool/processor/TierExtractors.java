package dev.spool.processor;

import dev.spool.processor.config.ProcessorProperties;
import dev.spool.processor.extraction.ExtractionLimits;
import dev.spool.processor.extraction.PlainTextInProcess;
import dev.spool.processor.extraction.TextExtractor;
import dev.spool.processor.extraction.TikaTextExtractor;
import dev.spool.processor.extraction.sandbox.ExtractionPlaces;
import dev.spool.processor.extraction.sandbox.ForkedTextExtractor;
import dev.spool.schemas.event.Priority;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extraction of each tier: small plain text in memory in this process, everything else in worker processes, where
 * each tier has places of its own ({@code spool.processor.capacity.<tier>.workers}) and shares a few more with the others
 * ({@code spool.processor.capacity.shared-workers}): a tier's documents never wait for a place another tier holds, and
 * those queued behind a slow one go on in a shared place. Closing stops every worker.
 */
public final class TierExtractors implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TierExtractors.class);

    private final ForkedTextExtractor workers;
    private final Map<Priority, TextExtractor> tiers = new EnumMap<>(Priority.class);
    private final ExtractionLimits limits;
    private final PlainTextInProcess plainText;
    /**
     * Shared by the tiers (it is thread-safe) and built once, off the start-up path: building one loads every parser
     * Tika has, which held a restarting processor back by seconds on a busy machine.
     */
    private volatile TikaTextExtractor inProcess;
    private volatile boolean warm;

    TierExtractors(ProcessorProperties.Extraction extraction, ProcessorProperties.Capacities capacity) {
        limits = extraction.limits();
        plainText = new PlainTextInProcess(this::inProcess, limits, extraction.inProcessTextMax().toBytes());
        Map<Priority, Integer> own = new EnumMap<>(Priority.class);
        for (Priority tier : Priority.values()) {
            own.put(tier, capacity.of(tier).workers());
        }
        workers = new ForkedTextExtractor(limits, new ExtractionPlaces(own, capacity.sharedWorkers()));
        for (Priority tier : Priority.values()) {
            TextExtractor extractor = workers.forTier(tier);
            tiers.put(tier, extraction.image().keepGps() ? extractor : withoutLocation(extractor));
        }
    }

    /**
     * {@code extractor}, forgetting where each document was made as soon as its worker answers, so that no fact or
     * view carries it.
     */
    private static TextExtractor withoutLocation(TextExtractor extractor) {
        return (document, declaredType, textOut, detected) -> extractor.extract(document, declaredType, textOut, detected)
                .withoutLocation();
    }

    private TikaTextExtractor inProcess() {
        TikaTextExtractor built = inProcess;
        if (built == null) {
            synchronized (this) {
                if (inProcess == null) {
                    inProcess = new TikaTextExtractor(limits);
                }
                built = inProcess;
            }
        }
        return built;
    }

    /**
     * Builds the in-process extractor with its language models and starts a worker for every place, in the background,
     * so that the first jobs do not wait for a cold start.
     */
    void prestart() {
        Thread warming = new Thread(() -> {
            try {
                inProcess().warmUp();
            } catch (RuntimeException e) {
                LOG.warn("Could not load the language models ahead of time: {}", e.toString());
            }
            workers.prestart();
            // Also after a failure: jobs then start what they need themselves, as they would have without prestart.
            warm = true;
            LOG.info("Extraction warmed up: language models loaded, a worker started for every place");
        }, "extraction-prestart");
        warming.setDaemon(true);
        warming.start();
    }

    /**
     * Whether {@link #prestart} is over: until then the processor boots worker JVMs and loads language models, and a
     * first job would wait for them and compete with them for CPU.
     */
    public boolean isWarm() {
        return warm;
    }

    /** The extraction of {@code tier}'s documents that are not small plain text: its workers. */
    public TextExtractor of(Priority tier) {
        return tiers.get(tier);
    }

    /** Small plain text, extracted in memory in this process for every tier. */
    public PlainTextInProcess plainText() {
        return plainText;
    }

    @Override
    public void close() {
        workers.close();
    }
}
