package dev.spool.ingest.tus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UploadMetadataTest {

    @Test
    void readsTheNamesTusJsClientAndUppySend() {
        UploadMetadata uppy = UploadMetadata.parse("relativePath bnVsbA==,name cmVwb3J0LnBkZg==,type YXBwbGljYXRpb24vcGRm,"
                + "filename cmVwb3J0LnBkZg==,filetype YXBwbGljYXRpb24vcGRm");

        assertThat(uppy.filename()).isEqualTo("report.pdf");
        assertThat(uppy.filetype()).isEqualTo("application/pdf");
        assertThat(uppy.values()).containsEntry("relativePath", "null");
        assertThat(UploadMetadata.parse("name bm90ZXMudHh0,type dGV4dC9wbGFpbg==").filename()).isEqualTo("notes.txt");
    }

    @Test
    void aKeyMayStandAloneAndValuesAreUtf8() {
        UploadMetadata metadata = UploadMetadata.parse("is_confidential,filename w6l0w6kucGRm,priority bG93");

        assertThat(metadata.values()).containsExactly(Map.entry("is_confidential", ""),
                Map.entry("filename", "été.pdf"), Map.entry("priority", "low"));
        assertThat(metadata.priority()).isEqualTo("low");
        assertThat(metadata.raw()).isEqualTo("is_confidential,filename w6l0w6kucGRm,priority bG93");
    }

    @Test
    void absentMetadataIsEmpty() {
        assertThat(UploadMetadata.parse(null)).isEqualTo(UploadMetadata.NONE);
        assertThat(UploadMetadata.parse("  ").filename()).isNull();
    }

    @Test
    void malformedMetadataIsRefusedWithItsOwnCode() {
        for (String header : new String[] {"filename !!!", "a YQ==,a Yg==", "a YQ==,,b Yg==", "a b c",
            "filename /w==", "x".repeat(UploadMetadata.MAX_LENGTH + 1)}) {
            assertThatThrownBy(() -> UploadMetadata.parse(header)).as(header)
                    .isInstanceOfSatisfying(SpoolProblem.class,
                            problem -> assertThat(problem.code()).isEqualTo(ProblemCode.INVALID_UPLOAD_METADATA));
        }
    }
}
