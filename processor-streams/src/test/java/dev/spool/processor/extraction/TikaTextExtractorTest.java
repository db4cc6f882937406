package dev.spool.processor.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.Truncation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.Arrays;
import java.util.Random;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TikaTextExtractorTest {

    private static final String PHRASE = "Quokkas juggle marmalade";

    private final TikaTextExtractor extractor = new TikaTextExtractor(limits(10_000));

    @TempDir
    Path folder;

    @Test
    void extractsPdfTextPagesAndMetadata() throws Exception {
        Extracted extracted = extract(extractor, pdf(false));

        assertThat(extracted.contentType()).isEqualTo("application/pdf");
        assertThat(extracted.pages()).isEqualTo(2);
        assertThat(extracted.title()).isEqualTo("Otter census");
        assertThat(extracted.author()).isEqualTo("Ada Lovelace");
        assertThat(extracted.text()).contains(PHRASE + " on page 1").contains(PHRASE + " on page 2");
        assertThat(extracted.words()).isEqualTo(12);
    }

    @Test
    void extractsDocxTextAndMetadata() throws Exception {
        Extracted extracted = extract(extractor, docx());

        assertThat(extracted.contentType())
                .isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        assertThat(extracted.text()).contains(PHRASE + " in Word");
        assertThat(extracted.title()).isEqualTo("Word title");
        assertThat(extracted.author()).isEqualTo("Grace Hopper");
        assertThat(extracted.words()).isEqualTo(5);
    }

    @Test
    void extractsPlainUtf8Text() throws Exception {
        String text = "Grüße aus Köln\nzweite Zeile\n";

        Extracted extracted = extract(extractor, text.getBytes(StandardCharsets.UTF_8));

        assertThat(extracted.contentType()).isEqualTo("text/plain");
        assertThat(extracted.text().strip()).isEqualTo(text.strip());
        assertThat(extracted.words()).isEqualTo(5);
        assertThat(extracted.pages()).isNull();
    }

    @Test
    void refusesGarbageBytesAsUnsupported() {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);

        assertThat(codeOf(() -> extract(extractor, garbage))).isEqualTo(ErrorCode.UNSUPPORTED_TYPE);
    }

    @Test
    void classifiesTruncatedPdfAsCorrupt() throws Exception {
        byte[] pdf = pdf(false);
        byte[] truncated = Arrays.copyOf(pdf, 40);

        assertThat(codeOf(() -> extract(extractor, truncated))).isEqualTo(ErrorCode.CORRUPT);
    }

    @Test
    void classifiesPasswordProtectedPdfAsEncrypted() throws Exception {
        byte[] encrypted = pdf(true);

        assertThat(codeOf(() -> extract(extractor, encrypted))).isEqualTo(ErrorCode.ENCRYPTED);
    }

    @Test
    void keepsTheFirstCharactersOfATextBeyondTheLimitAndSaysWhereItWasCut() throws Exception {
        String words = "word ".repeat(100);

        Extracted extracted = extract(new TikaTextExtractor(limits(50)), words.getBytes(StandardCharsets.UTF_8));

        assertThat(extracted.summary().truncated()).isEqualTo(Truncation.atCharacters(50));
        assertThat(extracted.text()).isEqualTo(words.substring(0, 50));
        assertThat(extracted.summary().characters()).isEqualTo(50);
        assertThat(extracted.words()).isEqualTo(10);
        assertThat(extracted.contentType()).isEqualTo("text/plain");
    }

    @Test
    void aTextWithinTheLimitIsWholeAndNotMarkedTruncated() throws Exception {
        Extracted extracted = extract(new TikaTextExtractor(limits(50)), "word ".repeat(9).getBytes(StandardCharsets.UTF_8));

        assertThat(extracted.summary().truncated()).isNull();
        assertThat(extracted.words()).isEqualTo(9);
    }

    static ExtractionLimits limits(int maxCharacters) {
        return new ExtractionLimits(maxCharacters, 10_000, 1L << 30, 100, Duration.ofSeconds(60), "512m");
    }

    /** What an extraction produced: the summary and the text file's content. */
    private record Extracted(ExtractionSummary summary, String text) {

        String contentType() {
            return summary.contentType();
        }

        Integer pages() {
            return summary.pages();
        }

        String title() {
            return summary.title();
        }

        String author() {
            return summary.author();
        }

        long words() {
            return summary.words();
        }
    }

    private Extracted extract(TikaTextExtractor tika, byte[] document) throws Exception {
        Path input = folder.resolve("document-" + UUID.randomUUID());
        Path text = folder.resolve("text-" + UUID.randomUUID());
        Files.write(input, document);
        ExtractionSummary summary = tika.extract(input, null, text, type -> { });
        return new Extracted(summary, Files.readString(text, StandardCharsets.UTF_8));
    }

    private static ErrorCode codeOf(Extraction extraction) {
        Throwable thrown = catchThrowable(extraction::run);
        assertThat(thrown).as("extraction should fail").isNotNull();
        return FailureClassifier.classify(thrown).code();
    }

    private static byte[] pdf(boolean encrypted) throws IOException {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int number = 1; number <= 2; number++) {
                PDPage page = new PDPage();
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(font, 12);
                    content.newLineAtOffset(72, 700);
                    content.showText(PHRASE + " on page " + number);
                    content.endText();
                }
            }
            document.getDocumentInformation().setTitle("Otter census");
            document.getDocumentInformation().setAuthor("Ada Lovelace");
            if (encrypted) {
                StandardProtectionPolicy policy =
                        new StandardProtectionPolicy("owner-secret", "user-secret", new AccessPermission());
                policy.setEncryptionKeyLength(128);
                document.protect(policy);
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    private static byte[] docx() throws IOException {
        try (XWPFDocument document = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            document.createParagraph().createRun().setText(PHRASE + " in Word");
            document.getProperties().getCoreProperties().setTitle("Word title");
            document.getProperties().getCoreProperties().setCreator("Grace Hopper");
            document.write(out);
            return out.toByteArray();
        }
    }

    /** An extraction expected to throw. */
    @FunctionalInterface
    private interface Extraction {
        void run() throws Exception;
    }
}
