package dev.spool.processor.health;

import dev.spool.processor.TierExtractors;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether extraction is warm, for readiness: DOWN while the processor still loads its language models and starts a
 * worker process for every place, which a first job would otherwise wait for and share the CPU with.
 */
@Component("extractionHealthIndicator")
public class ExtractionHealthIndicator implements HealthIndicator {

    private final TierExtractors extractors;

    public ExtractionHealthIndicator(TierExtractors extractors) {
        this.extractors = extractors;
    }

    @Override
    public Health health() {
        return extractors.isWarm() ? Health.up().build()
                : Health.down().withDetail("starting", "language models and extraction workers").build();
    }
}
