package dev.spool.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FilenamesTest {

    @Test
    void keepsAPlainName() {
        assertThat(Filenames.normalise("report 2024.pdf")).isEqualTo("report 2024.pdf");
    }

    @Test
    void stripsDirectoriesOfEitherSeparator() {
        assertThat(Filenames.normalise("../../etc/passwd")).isEqualTo("passwd");
        assertThat(Filenames.normalise("C:\\Users\\me\\thesis.docx")).isEqualTo("thesis.docx");
        assertThat(Filenames.normalise("dir/sub\\mixed.txt")).isEqualTo("mixed.txt");
    }

    @Test
    void stripsControlAndBidiOverrideCharacters() {
        assertThat(Filenames.normalise("a\u0000b\nc\td\u007f.txt")).isEqualTo("abcd.txt");
        assertThat(Filenames.normalise("invoice\u202Efdp.exe")).isEqualTo("invoicefdp.exe");
    }

    @Test
    void fallsBackWhenNothingIsLeft() {
        assertThat(Filenames.normalise(null)).isEqualTo(Filenames.FALLBACK);
        assertThat(Filenames.normalise("")).isEqualTo(Filenames.FALLBACK);
        assertThat(Filenames.normalise("dir/")).isEqualTo(Filenames.FALLBACK);
        assertThat(Filenames.normalise("..")).isEqualTo(Filenames.FALLBACK);
        assertThat(Filenames.normalise(" \u0001 ")).isEqualTo(Filenames.FALLBACK);
    }

    @Test
    void composesToNfc() {
        assertThat(Filenames.normalise("cafe\u0301.txt")).isEqualTo("caf\u00e9.txt");
    }

    @Test
    void capsTheLengthWithoutSplittingASurrogatePair() {
        assertThat(Filenames.normalise("x".repeat(300))).hasSize(Filenames.MAX_LENGTH);
        String emoji = "\uD83D\uDCC4";
        String name = Filenames.normalise("y".repeat(Filenames.MAX_LENGTH - 1) + emoji + ".txt");
        assertThat(name).isEqualTo("y".repeat(Filenames.MAX_LENGTH - 1));
    }
}
