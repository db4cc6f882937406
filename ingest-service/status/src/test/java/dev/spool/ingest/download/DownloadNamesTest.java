package dev.spool.ingest.download;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DownloadNamesTest {

    private static final String JOB = "0b7e7c1e-3f7a-4c59-9d0e-2f9a6f1b2c3d";

    @Test
    void theOriginalKeepsItsUploadedNameAndANamelessJobIsNamedByItsId() {
        assertThat(DownloadNames.original("q3 report.pdf", JOB)).isEqualTo("q3 report.pdf");
        assertThat(DownloadNames.original(null, JOB)).isEqualTo(JOB);
        assertThat(DownloadNames.original(" ", JOB)).isEqualTo(JOB);
    }

    @Test
    void theTextTakesTheOriginalsNameWithoutItsLastExtension() {
        assertThat(DownloadNames.text("quarterly.pdf", JOB)).isEqualTo("quarterly.txt");
        assertThat(DownloadNames.text("archive.tar.gz", JOB)).isEqualTo("archive.tar.txt");
        assertThat(DownloadNames.text("notes.txt", JOB)).isEqualTo("notes.txt");
        assertThat(DownloadNames.text("README", JOB)).isEqualTo("README.txt");
        assertThat(DownloadNames.text(".profile", JOB)).isEqualTo(".profile.txt");
        assertThat(DownloadNames.text(null, JOB)).isEqualTo(JOB + ".txt");
    }

    @Test
    void anAsciiNameIsOneQuotedFilenameAndOthersAddTheirUtf8Form() {
        assertThat(DownloadNames.attachment("quarterly.txt")).isEqualTo("attachment; filename=\"quarterly.txt\"");
        assertThat(DownloadNames.attachment("say \"hi\".txt")).isEqualTo("attachment; filename=\"say \\\"hi\\\".txt\"");
        assertThat(DownloadNames.attachment("Grüße.txt")).startsWith("attachment; filename=")
                .contains("filename*=UTF-8''Gr%C3%BC%C3%9Fe.txt");
    }
}
