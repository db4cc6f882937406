package dev.spool.ingest.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentTypePolicyTest {

    private static final String DOCX = ContentTypeDetector.DOCX;
    private static final String XLSX = ContentTypeDetector.XLSX;

    @Test
    void acceptsAPdfNamedAsOne() {
        assertThat(ContentTypePolicy.judge("application/pdf", null, "a.pdf")).isEqualTo("application/pdf");
    }

    @Test
    void anExtensionThatContradictsTheContentIsAMismatch() {
        assertMismatch("image/png", null, "x.pdf")
                .satisfies(problem -> assertThat(((SpoolProblem) problem).properties())
                        .containsEntry("detectedType", "image/png")
                        .containsEntry("claimedType", "application/pdf"));
    }

    @Test
    void aDeclaredTypeThatContradictsTheContentIsAMismatch() {
        assertMismatch("application/pdf", "image/png", "a")
                .satisfies(problem -> assertThat(((SpoolProblem) problem).properties())
                        .containsEntry("detectedType", "application/pdf")
                        .containsEntry("claimedType", "image/png"));
    }

    @Test
    void theContentWinsOverAHarmlessName() {
        assertThatThrownBy(() -> ContentTypePolicy.judge("application/x-executable", null, "report.pdf"))
                .isInstanceOfSatisfying(SpoolProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(ProblemCode.UNSUPPORTED_TYPE);
                    assertThat(problem.properties()).containsEntry("detectedType", "application/x-executable");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/zip", "application/gzip", "application/x-sh", "application/x-msdownload",
        "application/octet-stream", "image/svg+xml", "application/xml"})
    void refusesTypesOffTheAllowList(String detected) {
        assertThatThrownBy(() -> ContentTypePolicy.judge(detected, null, "file"))
                .isInstanceOfSatisfying(SpoolProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(ProblemCode.UNSUPPORTED_TYPE);
                    assertThat(problem.properties()).containsEntry("detectedType", detected);
                });
    }

    @Test
    void unrecognisedBinaryIsDescribedInWords() {
        assertThatThrownBy(() -> ContentTypePolicy.judge("application/octet-stream", null, "a.bin"))
                .hasMessageContaining("unrecognised binary data");
    }

    @Test
    void anExtensionRefinesPlainText() {
        assertThat(ContentTypePolicy.judge("text/plain", null, "data.csv")).isEqualTo("text/csv");
        assertThat(ContentTypePolicy.judge("text/plain", null, "notes.md")).contains("markdown");
    }

    @Test
    void aDeclaredTypeRefinesPlainText() {
        assertThat(ContentTypePolicy.judge("text/plain", "application/json", "a")).isEqualTo("application/json");
    }

    @Test
    void aTextTypeOffTheRefinementListLeavesPlainText() {
        assertThat(ContentTypePolicy.judge("text/plain", null, "script.py")).isEqualTo("text/plain");
    }

    @Test
    void aDeclaredOctetStreamSaysNothing() {
        assertThat(ContentTypePolicy.judge("application/pdf", "application/octet-stream", "a.pdf"))
                .isEqualTo("application/pdf");
    }

    @Test
    void parametersOfTheDeclaredTypeDoNotMatter() {
        assertThat(ContentTypePolicy.judge("text/plain", "text/plain; charset=UTF-16", "a.txt")).isEqualTo("text/plain");
    }

    @Test
    void anExtensionNamesTheKindOfAnOoxmlFile() {
        assertThat(ContentTypePolicy.judge(ContentTypeDetector.OOXML, null, "a.docx")).isEqualTo(DOCX);
    }

    @Test
    void aWordDocumentNamedAsASpreadsheetIsAMismatch() {
        assertMismatch(DOCX, null, "a.xlsx")
                .satisfies(problem -> assertThat(((SpoolProblem) problem).properties())
                        .containsEntry("detectedType", DOCX)
                        .containsEntry("claimedType", XLSX));
    }

    @Test
    void acceptsOpenDocumentAndCommonImages() {
        assertThat(ContentTypePolicy.judge("application/vnd.oasis.opendocument.text", null, "a.odt"))
                .isEqualTo("application/vnd.oasis.opendocument.text");
        assertThat(ContentTypePolicy.judge("image/jpeg", null, "photo.jpeg")).isEqualTo("image/jpeg");
        assertThat(ContentTypePolicy.judge("image/heic", "image/heic", "IMG_0042.HEIC")).isEqualTo("image/heic");
        assertThat(ContentTypePolicy.judge("image/webp", null, "photo.webp")).isEqualTo("image/webp");
        assertThat(ContentTypePolicy.judge("image/tiff", null, "scan.tif")).isEqualTo("image/tiff");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertMismatch(String detected, String declared,
            String filename) {
        return assertThatThrownBy(() -> ContentTypePolicy.judge(detected, declared, filename))
                .isInstanceOfSatisfying(SpoolProblem.class,
                        problem -> assertThat(problem.code()).isEqualTo(ProblemCode.TYPE_MISMATCH));
    }
}
