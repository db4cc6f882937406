package dev.spool.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spool.processor.config.ProcessorProperties;
import dev.spool.processor.health.ExtractionHealthIndicator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.health.contributor.Status;

class ExtractionReadinessTest {

    @Test
    void extractionIsReadyOnlyOnceItsWorkersAreStarted() {
        ProcessorProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("spool.processor", ProcessorProperties.class);
        try (TierExtractors extractors = new TierExtractors(properties.extraction(), properties.capacity())) {
            ExtractionHealthIndicator health = new ExtractionHealthIndicator(extractors);

            assertThat(health.health().getStatus()).as("nothing started yet").isEqualTo(Status.DOWN);

            extractors.prestart();

            await().atMost(Duration.ofMinutes(2)).until(() -> health.health().getStatus().equals(Status.UP));
        }
    }
}
