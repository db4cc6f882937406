package dev.spool.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.event.EventType;
import dev.spool.schemas.event.ImageMetadata;
import dev.spool.schemas.event.JobCompleted;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The image part of a result: an image's completion validates, decodes and re-encodes without losing a field, and
 * the job view describes the part exactly as the event does, since the projection copies it over.
 */
class ImageResultContractTest {

    private static final String SAMPLE = "/samples/v1/job-completed-image.json";

    @Test
    void imageCompletionValidatesDecodesAndReencodesWithoutLosingAField() {
        JsonNode sample = SchemaFiles.read(SAMPLE);

        JobCompleted completed = EventJson.mapper().readValue(SchemaFiles.bytes(sample), JobCompleted.class);
        JsonNode reencoded = SchemaFiles.parse(EventJson.mapper().writeValueAsBytes(completed));

        assertThat(SchemaFiles.violations(EventType.COMPLETED, sample)).isEmpty();
        assertThat(reencoded).isEqualTo(sample);
        ImageMetadata image = completed.result().image();
        assertThat(image.orientation()).isEqualTo(6);
        assertThat(image.gps().altitude()).isEqualTo(53.5);
        assertThat(image.keywords()).containsExactly("Fähre", "Rhein", "Köln", "Sommer");
    }

    @Test
    void anOrientationOutsideOneToEightIsRefusedBySchemaAndRecord() {
        JsonNode sample = SchemaFiles.read(SAMPLE);
        ((ObjectNode) sample.path("result").path("image")).put("orientation", 9);

        assertThat(SchemaFiles.violations(EventType.COMPLETED, sample)).isNotEmpty();
        assertThat(catchThrowable(() -> new ImageMetadata(null, null, 9, null, null,
                null, null, null, null, null, null))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theJobViewDescribesTheImagePartAsTheEventDoes() {
        JsonNode event = SchemaFiles.read("/schemas/job-completed.v1.schema.json");
        JsonNode view = SchemaFiles.read("/schemas/job-view.v1.schema.json");

        assertThat(view.path("properties").path("result").path("properties").path("image"))
                .isEqualTo(event.path("properties").path("result").path("properties").path("image"))
                .isNotEmpty();
    }

    @Test
    void withoutGpsDropsOnlyThePosition() {
        ImageMetadata image = new ImageMetadata(10, 20, 1, "2024-06-15T18:42:07", "Make", "Model",
                new ImageMetadata.GpsPosition(1.5, 2.5, null), "caption", null, null, List.of("k"));

        assertThat(image.withoutGps()).isEqualTo(new ImageMetadata(10, 20, 1, "2024-06-15T18:42:07", "Make", "Model",
                null, "caption", null, null, List.of("k")));
    }
}
