package dev.spool.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import org.junit.jupiter.api.Test;

class UploadLimitsTest {

    private final UploadLimits limits = new UploadLimits(100, 150, 2);

    @Test
    void oneFileTooManyFailsTheRequest() {
        UploadLimits.Tally tally = limits.tally();
        tally.startFile("a.txt");
        tally.startFile("b.txt");
        assertThatThrownBy(() -> tally.startFile("c.txt"))
                .isInstanceOfSatisfying(SpoolProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(ProblemCode.TOO_MANY_FILES);
                    assertThat(problem.properties()).containsEntry("limitFiles", 2);
                });
    }

    @Test
    void theByteThatCrossesTheFileLimitFailsTheFile() {
        UploadLimits.Tally tally = limits.tally();
        tally.startFile("big.pdf");
        tally.add(60);
        assertThatThrownBy(() -> tally.add(41))
                .isInstanceOfSatisfying(SpoolProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(ProblemCode.FILE_TOO_LARGE);
                    assertThat(problem.properties()).containsEntry("limitBytes", 100L)
                            .containsEntry("filename", "big.pdf");
                });
    }

    @Test
    void filesUnderTheFileLimitCanTogetherCrossTheRequestLimit() {
        UploadLimits.Tally tally = limits.tally();
        tally.startFile("a.txt");
        tally.add(90);
        tally.startFile("b.txt");
        assertThatThrownBy(() -> tally.add(61))
                .isInstanceOfSatisfying(SpoolProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(ProblemCode.REQUEST_TOO_LARGE);
                    assertThat(problem.properties()).containsEntry("limitBytes", 150L);
                });
    }

    @Test
    void exactlyAtEveryLimitPasses() {
        UploadLimits.Tally tally = limits.tally();
        assertThatCode(() -> {
            tally.startFile("a.txt");
            tally.add(100);
            tally.startFile("b.txt");
            tally.add(50);
        }).doesNotThrowAnyException();
        assertThat(tally.files()).isEqualTo(2);
    }

    @Test
    void eachFileStartsItsOwnCount() {
        UploadLimits roomy = new UploadLimits(100, 1000, 5);
        UploadLimits.Tally tally = roomy.tally();
        for (int i = 0; i < 5; i++) {
            tally.startFile("f" + i);
            tally.add(100);
        }
        assertThat(tally.files()).isEqualTo(5);
    }

    @Test
    void aDeclaredLengthMayExceedTheLimitOnlyByTheFramingAllowance() {
        assertThatCode(() -> limits.checkDeclaredLength(150 + 20, 20)).doesNotThrowAnyException();
        assertThatCode(() -> limits.checkDeclaredLength(-1, 20)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.checkDeclaredLength(150 + 21, 20))
                .isInstanceOfSatisfying(SpoolProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(ProblemCode.REQUEST_TOO_LARGE);
                    assertThat(problem.properties()).containsEntry("limitBytes", 150L);
                });
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new UploadLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UploadLimits(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UploadLimits(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describesSizesInBinaryUnits() {
        assertThat(UploadLimits.describe(104_857_600)).isEqualTo("100 MiB");
        assertThat(UploadLimits.describe(1536)).isEqualTo("1.5 KiB");
        assertThat(UploadLimits.describe(1023)).isEqualTo("1023 bytes");
        assertThat(UploadLimits.describe(1024)).isEqualTo("1 KiB");
        assertThat(UploadLimits.describe(5L << 30)).isEqualTo("5 GiB");
        assertThat(UploadLimits.describe(1)).isEqualTo("1 byte");
        assertThat(UploadLimits.describe(1_048_575)).isEqualTo("1 MiB");
    }
}
