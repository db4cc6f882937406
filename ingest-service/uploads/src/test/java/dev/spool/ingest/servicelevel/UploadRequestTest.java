package dev.spool.ingest.servicelevel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** Which requests start an upload, which continue one, and which are no upload at all. */
class UploadRequestTest {

    @Test
    void multipartPostsAndTusCreationsAreNewUploads() {
        assertThat(UploadRequest.of(HttpMethod.POST, "/api/v1/uploads")).isEqualTo(UploadRequest.NEW);
        assertThat(UploadRequest.of(HttpMethod.POST, "/api/v1/tus")).isEqualTo(UploadRequest.NEW);
        assertThat(UploadRequest.of(HttpMethod.POST, "/api/v1/tus/")).isEqualTo(UploadRequest.NEW);
    }

    @Test
    void aTusPatchContinuesAnUpload() {
        assertThat(UploadRequest.of(HttpMethod.PATCH, "/api/v1/tus/5a4b3c2d")).isEqualTo(UploadRequest.APPEND);
    }

    @Test
    void readsResumptionTerminationAndAdministrationAreNoUploads() {
        assertThat(UploadRequest.of(HttpMethod.HEAD, "/api/v1/tus/5a4b3c2d")).isNull();
        assertThat(UploadRequest.of(HttpMethod.DELETE, "/api/v1/tus/5a4b3c2d")).isNull();
        assertThat(UploadRequest.of(HttpMethod.OPTIONS, "/api/v1/tus/")).isNull();
        assertThat(UploadRequest.of(HttpMethod.GET, "/api/v1/uploads")).isNull();
        assertThat(UploadRequest.of(HttpMethod.GET, "/api/v1/jobs/5a4b3c2d/events")).isNull();
        assertThat(UploadRequest.of(HttpMethod.POST, "/api/v1/admin/dlq/replay")).isNull();
        assertThat(UploadRequest.of(HttpMethod.PUT, "/api/v1/admin/service-level")).isNull();
        assertThat(UploadRequest.of(HttpMethod.POST, "/api/v1/tusx")).isNull();
    }
}
