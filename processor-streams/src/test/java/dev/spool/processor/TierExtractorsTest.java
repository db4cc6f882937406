package dev.spool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.processor.config.ProcessorProperties;
import dev.spool.processor.extraction.ExtractionSummary;
import dev.spool.schemas.event.Priority;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * The privacy knob on real worker processes: with {@code spool.processor.extraction.image.keep-gps=false} a photo's
 * result says nothing of where it was taken, and keeps everything else.
 */
class TierExtractorsTest {

    @TempDir
    Path folder;

    @Test
    void withoutKeepGpsAPhotosResultHasNoPositionAndKeepsTheRest() throws Exception {
        Path photo = Path.of(TierExtractorsTest.class.getResource("/images/captioned.jpg").toURI());

        ExtractionSummary kept = extract(photo, true);
        ExtractionSummary dropped = extract(photo, false);

        assertThat(kept.image().gps()).isNotNull();
        assertThat(kept.metadata()).containsKeys("geo:lat", "geo:long");
        assertThat(dropped.image().gps()).isNull();
        assertThat(dropped.metadata()).doesNotContainKeys("geo:lat", "geo:long").containsKey("tiff:Make");
        assertThat(dropped.image()).isEqualTo(kept.image().withoutGps());
        assertThat(dropped.characters()).isEqualTo(kept.characters());
    }

    private ExtractionSummary extract(Path document, boolean keepGps) throws Exception {
        ProcessorProperties.Extraction extraction = new ProcessorProperties.Extraction(10_000, 100, DataSize.ofGigabytes(1),
                100, Duration.ofSeconds(60), "256m", DataSize.ofMegabytes(1), new ProcessorProperties.Image(keepGps));
        ProcessorProperties.Capacity one = new ProcessorProperties.Capacity(1, 1, 1);
        try (TierExtractors extractors = new TierExtractors(extraction,
                new ProcessorProperties.Capacities(one, one, one, 0))) {
            return extractors.of(Priority.NORMAL).extract(document, "image/jpeg", folder.resolve(keepGps + ".txt"),
                    type -> { });
        }
    }
}
