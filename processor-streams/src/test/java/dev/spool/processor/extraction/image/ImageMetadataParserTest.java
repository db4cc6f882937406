package dev.spool.processor.extraction.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.drew.imaging.ImageProcessingException;
import dev.spool.schemas.event.ImageMetadata;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mapping from EXIF, XMP and IPTC to the result's image part, on files written by exiftool and ImageMagick
 * ({@code src/test/resources/images/generate.sh}).
 */
class ImageMetadataParserTest {

    @TempDir
    Path folder;

    @Test
    void readsEveryFieldOfACaptionedPhoto() throws Exception {
        ImageFindings findings = ImageMetadataParser.parse(fixture("captioned.jpg"));

        assertThat(findings.metadata()).isEqualTo(new ImageMetadata(64, 48, 6, "2024-06-15T18:42:07+02:00",
                "Fujifilm", "X-T30", new ImageMetadata.GpsPosition(50.9413, 6.9583, 53.5),
                "Fähre über den Rhein bei Köln", "Abendfähre", "Die letzte Fähre des Tages",
                List.of("Fähre", "Rhein", "Köln", "Sommer")));
    }

    @Test
    void theSameCaptionInExifXmpAndIptcIsSearchableOnce() throws Exception {
        ImageFindings findings = ImageMetadataParser.parse(fixture("captioned.jpg"));

        assertThat(findings.searchableLines()).containsExactly("Abendfähre", "Die letzte Fähre des Tages",
                "Fähre über den Rhein bei Köln", "Fähre, Rhein, Köln, Sommer");
        assertThat(findings.searchableText()).isEqualTo(String.join("\n", findings.searchableLines()) + "\n");
    }

    @Test
    void readsIptcAndExifWrittenInLatin1WithoutACharacterSet() throws Exception {
        ImageFindings findings = ImageMetadataParser.parse(fixture("latin1-iptc.jpg"));

        ImageMetadata image = findings.metadata();
        assertThat(image.description()).isEqualTo("Café crème à Paris");
        assertThat(image.headline()).isEqualTo("Crème brûlée");
        assertThat(image.keywords()).containsExactly("café", "été");
        assertThat(image.title()).isNull();
        assertThat(findings.searchableLines()).containsExactly("Crème brûlée", "Café crème à Paris", "café, été");
    }

    @Test
    void conflictingCaptionsTakeXmpAsTheDescriptionAndKeepBothSearchable() throws Exception {
        ImageFindings findings = ImageMetadataParser.parse(fixture("conflicting.jpg"));

        assertThat(findings.metadata().description()).isEqualTo("Fishing boats leaving the harbour");
        assertThat(findings.searchableLines()).containsExactly("Fishing boats leaving the harbour", "Harbour at dawn");
    }

    @Test
    void anImageWithoutMetadataHasOnlyItsSize() throws Exception {
        for (String name : new String[] {"bare.jpg", "bare.png"}) {
            ImageFindings findings = ImageMetadataParser.parse(fixture(name));

            assertThat(findings.metadata()).as(name).isEqualTo(new ImageMetadata(20, 10, null, null, null, null, null,
                    null, null, null, null));
            assertThat(findings.searchableLines()).as(name).isEmpty();
        }
    }

    @Test
    void readsXmpAndExifFromPng() throws Exception {
        ImageMetadata image = ImageMetadataParser.parse(fixture("tagged.png")).metadata();

        assertThat(image).isEqualTo(new ImageMetadata(48, 36, null, "2023-12-24T09:15:00", "Canon", "Canon EOS R6",
                null, "Stände im Schnee", "Weihnachtsmarkt", null, null));
    }

    @Test
    void readsTiff() throws Exception {
        ImageMetadata image = ImageMetadataParser.parse(fixture("tagged.tif")).metadata();

        assertThat(image).isEqualTo(new ImageMetadata(48, 36, 3, "2022-03-01T12:00:00-05:00", "Nikon", "Z 6", null,
                null, "Scan of a postcard", null, List.of("postcard")));
    }

    @Test
    void readsWebp() throws Exception {
        ImageMetadata image = ImageMetadataParser.parse(fixture("tagged.webp")).metadata();

        assertThat(image).isEqualTo(new ImageMetadata(48, 36, null, "2025-01-02T03:04:05", "Google", "Pixel 8",
                new ImageMetadata.GpsPosition(52.5163, 13.3777, null), "Snow on the Brandenburger Tor", null, null,
                null));
    }

    @Test
    void readsTheExifOfHeicButNeitherItsXmpNorItsSize() throws Exception {
        ImageMetadata image = ImageMetadataParser.parse(fixture("tagged.heic")).metadata();

        assertThat(image).isEqualTo(new ImageMetadata(null, null, 6, "2025-05-04T07:30:00+01:00", "Apple", "iPhone 15",
                null, null, null, null, null));
    }

    @Test
    void aFileThatIsNoImageIsRefused() throws Exception {
        Path text = Files.writeString(folder.resolve("not-an-image"), "just words", StandardCharsets.UTF_8);

        assertThat(catchThrowable(() -> ImageMetadataParser.parse(text))).isInstanceOf(ImageProcessingException.class);
    }

    @Test
    void exifDatesWithoutAnOffsetStayLocalAndZerosAreNoDate() {
        assertThat(ImageMetadataParser.exifDateTime("2024:06:15 18:42:07", null)).isEqualTo("2024-06-15T18:42:07");
        assertThat(ImageMetadataParser.exifDateTime("2024:06:15 18:42:00", "+00:00"))
                .isEqualTo("2024-06-15T18:42:00Z");
        assertThat(ImageMetadataParser.exifDateTime("0000:00:00 00:00:00", null)).isNull();
        assertThat(ImageMetadataParser.exifDateTime("2024:06:15 18:42:07", "garbage")).isEqualTo("2024-06-15T18:42:07");
    }

    @Test
    void iptcBytesAreUtf8WhenWellFormedElseLatin1() {
        assertThat(ImageMetadataParser.utf8OrLatin1("Fähre".getBytes(StandardCharsets.UTF_8))).isEqualTo("Fähre");
        assertThat(ImageMetadataParser.utf8OrLatin1("Fähre".getBytes(StandardCharsets.ISO_8859_1))).isEqualTo("Fähre");
    }

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(ImageMetadataParserTest.class.getResource("/images/" + name).toURI());
    }
}
