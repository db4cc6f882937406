package dev.spool.processor.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.Truncation;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process extractor against hostile documents and awkward encodings: each hostile one ends with the precise
 * error code it deserves, quickly; the honest ones come out right.
 */
class ContainmentTest {

    private static final ExtractionLimits LIMITS =
            new ExtractionLimits(10_000_000, 100, 1L << 30, 100, Duration.ofSeconds(60), "512m");

    @TempDir
    static Path folder;

    private static Path zipBomb;
    private static Path manyPages;

    @BeforeAll
    static void buildLargeFixtures() throws Exception {
        zipBomb = HostileDocuments.zipBombDocx(folder.resolve("bomb.docx"), 1L << 30);
        manyPages = HostileDocuments.manyPagesPdf(folder.resolve("pages.pdf"), 20_000);
    }

    private final TikaTextExtractor extractor = new TikaTextExtractor(LIMITS);

    @Test
    void aOneMegabyteDocxThatInflatesToAGigabyteIsRefusedBeforeItIsParsed() throws Exception {
        assertThat(Files.size(zipBomb)).isLessThan(3L << 20);

        assertThat(codeOf(zipBomb)).isEqualTo(ErrorCode.TOO_LARGE_TO_EXTRACT);
    }

    @Test
    void billionLaughsFailsAndAnExternalEntityIsNeverResolved() throws Exception {
        assertThat(codeOf(HostileDocuments.billionLaughs(folder.resolve("lol.xml")))).isEqualTo(ErrorCode.CORRUPT);

        Path xxe = HostileDocuments.externalEntity(folder.resolve("xxe.xml"));
        Path text = folder.resolve("xxe.txt");
        Throwable thrown = catchThrowable(() -> extractor.extract(xxe, null, text, type -> { }));
        if (thrown == null) {
            assertThat(Files.readString(text)).doesNotContain(HostileDocuments.PASSWD_MARK);
        } else {
            assertThat(FailureClassifier.classify(thrown).code()).isEqualTo(ErrorCode.CORRUPT);
            assertThat(String.valueOf(thrown.getMessage())).doesNotContain(HostileDocuments.PASSWD_MARK);
        }
    }

    @Test
    void aTwentyThousandPagePdfCompletesWithTheTextOfItsFirstPagesUpToTheLimit() throws Exception {
        Path text = folder.resolve("pages.txt");

        ExtractionSummary summary = extractor.extract(manyPages, null, text, type -> { });

        assertThat(summary.truncated()).isEqualTo(Truncation.atPages(LIMITS.maxPages()));
        assertThat(Files.readString(text)).contains("page 1\n").contains("page " + LIMITS.maxPages() + "\n")
                .doesNotContain("page " + (LIMITS.maxPages() + 1) + "\n");
    }

    @Test
    void anEightMebibyteSingleLineTextIsExtractedWhole() throws Exception {
        Path line = HostileDocuments.singleLine(folder.resolve("line.txt"), 8 << 20);

        ExtractionSummary summary = extractor.extract(line, "text/plain", folder.resolve("line-out.txt"), type -> { });

        // the text parser ends the paragraph with a newline of its own
        assertThat(summary.characters()).isBetween(8L << 20, (8L << 20) + 1);
        assertThat(summary.contentType()).isEqualTo("text/plain");
    }

    @Test
    void utf16WithBomAndLatin1TextsComeOutAsTheSameText() throws Exception {
        String text = "Grüße aus Zürich, façade et crème brûlée — déjà vu. ".repeat(20);

        assertThat(extractText(withBom(text), "utf16.txt")).contains("Grüße aus Zürich, façade et crème brûlée");
        String french = "Le château se dressait au-dessus de la rivière. Après le déjeuner, nous sommes allés à la "
                + "bibliothèque où l'on conservait les manuscrits du moyen âge. Ça nous a beaucoup plu : les élèves "
                + "étaient ravis de découvrir les enluminures, et même le maître d'école, d'habitude si sévère, "
                + "souriait. Nous reviendrons l'été prochain, peut-être avec nos frères et sœurs.";
        assertThat(extractText(french.replace("œ", "oe").getBytes(Charset.forName("ISO-8859-1")), "latin1.txt"))
                .contains("Le château se dressait au-dessus de la rivière").contains("les élèves étaient ravis");
    }

    @Test
    void anImageReportsItsSizeAndAnEnglishTextItsLanguage() throws Exception {
        ExtractionSummary image = extractor.extract(HostileDocuments.png(folder.resolve("i.png"), 640, 480), "image/png",
                folder.resolve("i.txt"), type -> { });
        assertThat(image.contentType()).isEqualTo("image/png");
        assertThat(image.width()).isEqualTo(640);
        assertThat(image.height()).isEqualTo(480);

        Path english = Files.writeString(folder.resolve("en.txt"), "The committee met on Tuesday to discuss the "
                + "budget for the coming year. Everyone agreed that the library needs a new roof before winter, and "
                + "that the garden should be opened to the children of the village every weekend.");
        assertThat(extractor.extract(english, "text/plain", folder.resolve("en-out.txt"), type -> { }).language()).isEqualTo("en");
    }

    @Test
    void anOpenDocumentTextAndAJpegsExifAreRead() throws Exception {
        Path odt = HostileDocuments.odt(folder.resolve("minutes.odt"), "Heron minutes", "The heron committee met on Tuesday.");
        Path odtText = folder.resolve("odt.txt");
        ExtractionSummary text = extractor.extract(odt, null, odtText, type -> { });
        assertThat(text.contentType()).isEqualTo("application/vnd.oasis.opendocument.text");
        assertThat(text.title()).isEqualTo("Heron minutes");
        assertThat(Files.readString(odtText)).contains("The heron committee met on Tuesday.");

        ExtractionSummary photo = extractor.extract(HostileDocuments.jpegWithExif(folder.resolve("p.jpg"), "Spool Optics",
                "Otter 1"), null, folder.resolve("p.txt"), type -> { });
        assertThat(photo.contentType()).isEqualTo("image/jpeg");
        assertThat(photo.width()).isEqualTo(32);
        assertThat(photo.height()).isEqualTo(24);
        assertThat(photo.metadata()).containsEntry("tiff:Make", "Spool Optics").containsEntry("tiff:Model", "Otter 1");
    }

    private ErrorCode codeOf(Path document) {
        Throwable thrown = catchThrowable(() -> extractor.extract(document, null,
                folder.resolve(UUID.randomUUID() + ".txt"), type -> { }));
        assertThat(thrown).as("extraction of %s should fail", document.getFileName()).isNotNull();
        return FailureClassifier.classify(thrown).code();
    }

    private String extractText(byte[] bytes, String name) throws Exception {
        Path document = Files.write(folder.resolve(name), bytes);
        Path text = folder.resolve(name + ".out");
        extractor.extract(document, "text/plain", text, type -> { });
        return Files.readString(text, StandardCharsets.UTF_8);
    }

    private static byte[] withBom(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
        byte[] bytes = new byte[body.length + 2];
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xFE;
        System.arraycopy(body, 0, bytes, 2, body.length);
        return bytes;
    }
}
