package dev.spool.processor.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.schemas.event.Truncation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Small plain text, CSV and Markdown, as ingest detected them, are extracted in memory here; anything else, or
 * anything larger, is left to a worker. UTF-8 is read as it is; other charsets and CSV go through Tika's plain-text
 * parser.
 */
class PlainTextInProcessTest {

    private static final ExtractionLimits LIMITS = new ExtractionLimits(10_000, 100, 1 << 20, 100, Duration.ofSeconds(10),
            "256m");
    private static final TikaTextExtractor TIKA = new TikaTextExtractor(LIMITS);

    private final PlainTextInProcess extractor = new PlainTextInProcess(() -> TIKA, LIMITS, 1024);

    @Test
    void smallPlainTextCsvMarkdownAndJsonAreExtractedHere() {
        assertThat(extractor.accepts("text/plain", 1024)).isTrue();
        assertThat(extractor.accepts("text/plain; charset=ISO-8859-1", 10)).isTrue();
        assertThat(extractor.accepts("text/csv", 10)).isTrue();
        assertThat(extractor.accepts("text/markdown", 10)).isTrue();
        assertThat(extractor.accepts("application/json", 10)).isTrue();
    }

    @Test
    void richDocumentsHtmlAndTextAboveTheSizeLimitAreLeftToTheWorkers() {
        assertThat(extractor.accepts("application/pdf", 10)).isFalse();
        assertThat(extractor.accepts("text/html", 10)).isFalse();
        assertThat(extractor.accepts("text/plain", 1025)).isFalse();
        assertThat(extractor.accepts(null, 10)).isFalse();
        assertThat(new PlainTextInProcess(() -> TIKA, LIMITS, 0).accepts("text/plain", 1)).isFalse();
    }

    @Test
    void utf8TextIsStoredAsItIsAndCountedAndItsLanguageNamed() throws Exception {
        String text = "Herons wade in the shallows at dawn, waiting for the fish to come close to the reeds.\n"
                + "The morning light spreads slowly over the marsh while a distant train passes.\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

        ExtractedText extracted = extractor.extract(bytes, "text/plain");

        assertThat(extracted.utf8()).isEqualTo(bytes);
        assertThat(extracted.summary().contentType()).isEqualTo("text/plain");
        assertThat(extracted.summary().characters()).isEqualTo(text.length());
        assertThat(extracted.summary().words()).isEqualTo(30);
        assertThat(extracted.summary().language()).isEqualTo("en");
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheText() throws Exception {
        byte[] withBom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i', ' ', 'y', 'o', 'u'};

        ExtractedText extracted = extractor.extract(withBom, "text/markdown");

        assertThat(new String(extracted.utf8(), StandardCharsets.UTF_8)).isEqualTo("hi you");
        assertThat(extracted.summary().contentType()).isEqualTo("text/markdown");
        assertThat(extracted.summary().words()).isEqualTo(2);
    }

    @Test
    void textInAnotherCharsetIsDecodedByTikaAndStoredAsUtf8() throws Exception {
        String text = "Le héron attend près des roseaux, à l'aube, que les poissons s'approchent de la rive. "
                + "Été comme hiver, il guette sans bouger.";
        byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1);

        ExtractedText extracted = extractor.extract(latin1, "text/plain");

        assertThat(new String(extracted.utf8(), StandardCharsets.UTF_8)).contains("héron", "près", "Été");
        assertThat(extracted.summary().language()).isEqualTo("fr");
    }

    @Test
    void csvIsTurnedIntoLinesOfCellsByTika() throws Exception {
        ExtractedText extracted = extractor.extract("item,count\nheron,3\nmarmalade,7\n".getBytes(StandardCharsets.UTF_8),
                "text/csv");

        assertThat(new String(extracted.utf8(), StandardCharsets.UTF_8)).contains("heron").contains("marmalade");
    }

    @Test
    void moreCharactersThanTheLimitKeepTheFirstOnesWhicheverWayItIsRead() throws Exception {
        ExtractionLimits twenty = new ExtractionLimits(20, 100, 1 << 20, 100, Duration.ofSeconds(10), "256m");
        TikaTextExtractor tika = new TikaTextExtractor(twenty);
        PlainTextInProcess small = new PlainTextInProcess(() -> tika, twenty, 1024);
        byte[] utf8 = "word ".repeat(10).getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "mot à mot ".repeat(10).getBytes(StandardCharsets.ISO_8859_1);

        ExtractedText asIs = small.extract(utf8, "text/plain");
        ExtractedText decoded = small.extract(latin1, "text/plain");

        assertThat(new String(asIs.utf8(), StandardCharsets.UTF_8)).isEqualTo("word word word word ");
        assertThat(asIs.summary().truncated()).isEqualTo(Truncation.atCharacters(20));
        assertThat(asIs.summary().words()).isEqualTo(4);
        assertThat(new String(decoded.utf8(), StandardCharsets.UTF_8)).isEqualTo("mot à mot mot à mot ");
        assertThat(decoded.summary().truncated()).isEqualTo(Truncation.atCharacters(20));
    }

    @Test
    void aCutNeverSplitsACharacterOutsideTheBasicPlane() throws Exception {
        ExtractionLimits three = new ExtractionLimits(3, 100, 1 << 20, 100, Duration.ofSeconds(10), "256m");
        PlainTextInProcess small = new PlainTextInProcess(() -> new TikaTextExtractor(three), three, 1024);

        ExtractedText cut = small.extract("ab\uD83E\uDDA6c".getBytes(StandardCharsets.UTF_8), "text/plain");

        assertThat(new String(cut.utf8(), StandardCharsets.UTF_8)).isEqualTo("ab");
        assertThat(cut.summary().truncated()).isEqualTo(Truncation.atCharacters(3));
    }
}
