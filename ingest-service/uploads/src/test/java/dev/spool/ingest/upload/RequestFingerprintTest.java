package dev.spool.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestFingerprintTest {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);
    private static final RequestFingerprint.File REPORT =
            new RequestFingerprint.File("report.pdf", "application/pdf", 1000, SHA_A);
    private static final RequestFingerprint.File NOTES = new RequestFingerprint.File("notes.txt", null, 20, SHA_B);
    private static final String BASE = RequestFingerprint.of("high", List.of(REPORT, NOTES));

    @Test
    void theSameRequestHasTheSameFingerprint() {
        String again = RequestFingerprint.of("high", List.of(
                new RequestFingerprint.File("report.pdf", "application/pdf", 1000, SHA_A),
                new RequestFingerprint.File("notes.txt", null, 20, SHA_B)));
        assertThat(again).isEqualTo(BASE).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void everyFieldCounts() {
        assertThat(List.of(
                RequestFingerprint.of("low", List.of(REPORT, NOTES)),
                RequestFingerprint.of(null, List.of(REPORT, NOTES)),
                with(new RequestFingerprint.File("report2.pdf", "application/pdf", 1000, SHA_A)),
                with(new RequestFingerprint.File("report.pdf", "application/x-pdf", 1000, SHA_A)),
                with(new RequestFingerprint.File("report.pdf", "application/pdf", 1001, SHA_A)),
                with(new RequestFingerprint.File("report.pdf", "application/pdf", 1000, SHA_B)),
                RequestFingerprint.of("high", List.of(NOTES, REPORT)),
                RequestFingerprint.of("high", List.of(REPORT))))
                .doesNotContain(BASE)
                .doesNotHaveDuplicates();
    }

    @Test
    void anAbsentDeclaredTypeDiffersFromAnEmptyOne() {
        RequestFingerprint.File empty = new RequestFingerprint.File("notes.txt", "", 20, SHA_B);
        assertThat(RequestFingerprint.of("high", List.of(REPORT, empty))).isNotEqualTo(BASE);
        assertThat(RequestFingerprint.of(null, List.of())).isNotEqualTo(RequestFingerprint.of("", List.of()));
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        String split = RequestFingerprint.of("p", List.of(new RequestFingerprint.File("ab", "c", 1, SHA_A)));
        String shifted = RequestFingerprint.of("p", List.of(new RequestFingerprint.File("a", "bc", 1, SHA_A)));
        assertThat(split).isNotEqualTo(shifted);
    }

    private static String with(RequestFingerprint.File report) {
        return RequestFingerprint.of("high", List.of(report, NOTES));
    }
}
