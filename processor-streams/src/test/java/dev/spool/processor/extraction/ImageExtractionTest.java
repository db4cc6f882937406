package dev.spool.processor.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.schemas.event.ImageMetadata;
import dev.spool.schemas.event.Truncation;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images through Tika's extraction: the summary carries the image part, and the job's text is the image's searchable
 * metadata, within the character limit. Fixtures are written by exiftool and ImageMagick
 * ({@code src/test/resources/images/generate.sh}).
 */
class ImageExtractionTest {

    private static final String CAPTIONED_TEXT = """
            Abendfähre
            Die letzte Fähre des Tages
            Fähre über den Rhein bei Köln
            Fähre, Rhein, Köln, Sommer
            """;

    @TempDir
    Path folder;

    @Test
    void aCaptionedPhotoHasItsImagePartAndItsCaptionsAsText() throws Exception {
        Path text = folder.resolve("text.txt");

        ExtractionSummary summary = new TikaTextExtractor(TikaTextExtractorTest.limits(10_000))
                .extract(fixture("captioned.jpg"), "image/jpeg", text, type -> { });

        assertThat(summary.contentType()).isEqualTo("image/jpeg");
        assertThat(summary.image()).isEqualTo(new ImageMetadata(64, 48, 6, "2024-06-15T18:42:07+02:00", "Fujifilm",
                "X-T30", new ImageMetadata.GpsPosition(50.9413, 6.9583, 53.5), "Fähre über den Rhein bei Köln",
                "Abendfähre", "Die letzte Fähre des Tages", List.of("Fähre", "Rhein", "Köln", "Sommer")));
        assertThat(Files.readString(text, StandardCharsets.UTF_8)).isEqualTo(CAPTIONED_TEXT);
        assertThat(summary.characters()).isEqualTo(CAPTIONED_TEXT.length());
        assertThat(summary.words()).isEqualTo(16);
        assertThat(summary.truncated()).isNull();
    }

    @Test
    void captionsBeyondTheCharacterLimitAreCutAndMarked() throws Exception {
        Path text = folder.resolve("text.txt");

        ExtractionSummary summary = new TikaTextExtractor(TikaTextExtractorTest.limits(15))
                .extract(fixture("captioned.jpg"), null, text, type -> { });

        assertThat(Files.readString(text, StandardCharsets.UTF_8)).isEqualTo(CAPTIONED_TEXT.substring(0, 15));
        assertThat(summary.truncated()).isEqualTo(Truncation.atCharacters(15));
        assertThat(summary.image().description()).isEqualTo("Fähre über den Rhein bei Köln");
    }

    @Test
    void anImageWithoutMetadataHasNoText() throws Exception {
        for (String name : new String[] {"bare.jpg", "bare.png"}) {
            Path text = folder.resolve(UUID.randomUUID() + ".txt");

            ExtractionSummary summary = new TikaTextExtractor(TikaTextExtractorTest.limits(10_000))
                    .extract(fixture(name), null, text, type -> { });

            assertThat(summary.image()).as(name).isEqualTo(new ImageMetadata(20, 10, null, null, null, null, null, null,
                    null, null, null));
            assertThat(summary.characters()).as(name).isZero();
            assertThat(summary.truncated()).as(name).isNull();
        }
    }

    @Test
    void everyAcceptedImageFormatCompletesWithItsImagePart() throws Exception {
        String[][] formats = {{"tagged.png", "image/png"}, {"tagged.tif", "image/tiff"}, {"tagged.webp", "image/webp"}};
        for (String[] format : formats) {
            Path text = folder.resolve(UUID.randomUUID() + ".txt");

            ExtractionSummary summary = new TikaTextExtractor(TikaTextExtractorTest.limits(10_000))
                    .extract(fixture(format[0]), format[1], text, type -> { });

            assertThat(summary.contentType()).as(format[0]).isEqualTo(format[1]);
            assertThat(summary.image().width()).as(format[0]).isEqualTo(48);
            assertThat(summary.image().cameraMake()).as(format[0]).isNotBlank();
            assertThat(Files.readString(text, StandardCharsets.UTF_8)).as(format[0]).isNotBlank();
        }
    }

    @Test
    void aHeicPhotoCompletesWithItsExif() throws Exception {
        ExtractionSummary summary = new TikaTextExtractor(TikaTextExtractorTest.limits(10_000))
                .extract(fixture("tagged.heic"), "image/heic", folder.resolve("text.txt"), type -> { });

        assertThat(summary.contentType()).isEqualTo("image/heic");
        assertThat(summary.image().cameraModel()).isEqualTo("iPhone 15");
        assertThat(summary.image().orientation()).isEqualTo(6);
    }

    @Test
    void otherDocumentsHaveNoImagePart() throws Exception {
        Path document = Files.writeString(folder.resolve("note.txt"), "Otters hold hands", StandardCharsets.UTF_8);

        ExtractionSummary summary = new TikaTextExtractor(TikaTextExtractorTest.limits(10_000))
                .extract(document, null, folder.resolve("text.txt"), type -> { });

        assertThat(summary.image()).isNull();
    }

    @Test
    void withoutLocationForgetsThePositionAndTikasGeoMetadataOnly() throws Exception {
        ExtractionSummary summary = new TikaTextExtractor(TikaTextExtractorTest.limits(10_000))
                .extract(fixture("captioned.jpg"), null, folder.resolve("text.txt"), type -> { });

        ExtractionSummary forgotten = summary.withoutLocation();

        assertThat(summary.metadata()).containsKeys("geo:lat", "geo:long", "tiff:Make");
        assertThat(forgotten.metadata()).doesNotContainKeys("geo:lat", "geo:long").containsKey("tiff:Make");
        assertThat(forgotten.image().gps()).isNull();
        assertThat(forgotten.image()).isEqualTo(summary.image().withoutGps());
        assertThat(forgotten.characters()).isEqualTo(summary.characters());
    }

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(ImageExtractionTest.class.getResource("/images/" + name).toURI());
    }
}
