package dev.spool.ingest.tus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.config.StatusProperties;
import dev.spool.ingest.security.SecurityConfiguration;
import dev.spool.ingest.upload.UploadPermits;
import dev.spool.ingest.web.ProblemRenderer;
import dev.spool.ingest.web.ProblemSecurityHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The tus endpoints as the controller answers them, the upload work itself stood in for. */
@WebFluxTest(controllers = TusController.class, properties = "spool.auth.jwt-secret=" + JwtIssuer.SLICE_SECRET)
@Import({SecurityConfiguration.class, ProblemRenderer.class, ProblemSecurityHandlers.class})
@EnableConfigurationProperties(StatusProperties.class)
class TusControllerTest {

    private static final JwtIssuer ISSUER = new JwtIssuer(JwtIssuer.SLICE_SECRET);
    private static final String ID = "3c2b1a09-8f7e-4d6c-b5a4-93827160f5e4";
    private static final Instant EXPIRES = Instant.parse("2026-12-07T10:00:00Z");

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private TusUploadService uploads;

    @MockitoBean
    private UploadPermits permits;

    @Test
    void optionsTellsAClientTheProtocolBeforeItAuthenticates() {
        when(uploads.maxSize()).thenReturn(10_737_418_240L);

        client.options().uri(TusController.BASE).exchange()
                .expectStatus().isNoContent()
                .expectHeader().valueEquals(TusHeaders.TUS_VERSION, TusHeaders.VERSION)
                .expectHeader().valueEquals(TusHeaders.TUS_EXTENSION, TusHeaders.EXTENSIONS)
                .expectHeader().valueEquals(TusHeaders.TUS_MAX_SIZE, "10737418240")
                .expectHeader().valueEquals(TusHeaders.TUS_CHECKSUM_ALGORITHM, UploadChecksum.ADVERTISED);
    }

    @Test
    void aCreationAnswersWithTheUploadsUrlAndWhenItExpires() {
        when(uploads.create(any(), eq(1024L), eq(false), any())).thenReturn(Mono.just(upload(0)));

        EntityExchangeResult<Void> created = tus(HttpMethod.POST, TusController.BASE)
                .header(TusHeaders.UPLOAD_LENGTH, "1024")
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().valueEquals(TusHeaders.UPLOAD_EXPIRES, "Mon, 7 Dec 2026 10:00:00 GMT")
                .expectHeader().valueEquals(TusHeaders.TUS_RESUMABLE, TusHeaders.VERSION)
                .expectBody().isEmpty();

        assertThat(created.getResponseHeaders().getLocation()).hasPath(TusController.BASE + "/" + ID);
        verifyNoInteractions(permits);
    }

    @Test
    void aFinishedUploadNamesItsJob() {
        when(uploads.find(any(), eq(ID))).thenReturn(Mono.just(upload(1024).completed()));

        StepVerifier.create(tus(HttpMethod.HEAD, TusController.BASE + "/" + ID).exchange()
                        .expectStatus().isOk()
                        .expectHeader().valueEquals(TusHeaders.UPLOAD_OFFSET, "1024")
                        .expectHeader().valueEquals(TusHeaders.UPLOAD_LENGTH, "1024")
                        .expectHeader().valueEquals(TusHeaders.JOB_ID, ID)
                        .expectHeader().valueEquals(TusHeaders.JOB_STATUS_URL, "/api/v1/jobs/" + ID)
                        .expectHeader().valueEquals(TusHeaders.JOB_EVENTS_URL, "/api/v1/jobs/" + ID + "/events")
                        .expectHeader().cacheControl(CacheControl.noStore())
                        .returnResult(Void.class).getResponseBody())
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void bytesSentAsAnythingButAnOffsetStreamAreRefusedBeforeAPermitIsTaken() {
        tus(HttpMethod.PATCH, TusController.BASE + "/" + ID)
                .header(TusHeaders.UPLOAD_OFFSET, "0")
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .bodyValue(new byte[] {1, 2, 3})
                .exchange()
                .expectStatus().isEqualTo(415)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("unsupported_media_type");
        verify(uploads, never()).append(any(), any(), any());
        verifyNoInteractions(permits);
    }

    @Test
    void bytesWithoutTheirOffsetAreAMalformedRequest() {
        tus(HttpMethod.PATCH, TusController.BASE + "/" + ID)
                .contentType(MediaType.parseMediaType(TusHeaders.OFFSET_OCTET_STREAM))
                .bodyValue(new byte[] {1, 2, 3})
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("malformed_request");
        verify(uploads, never()).append(any(), any(), any());
        verifyNoInteractions(permits);
    }

    @Test
    void aPatchHoldsAPermitOnlyWhileItsBytesAreWritten() {
        when(uploads.append(any(), eq(ID), any())).thenReturn(Mono.just(upload(3)));

        tus(HttpMethod.PATCH, TusController.BASE + "/" + ID)
                .header(TusHeaders.UPLOAD_OFFSET, "0")
                .contentType(MediaType.parseMediaType(TusHeaders.OFFSET_OCTET_STREAM))
                .bodyValue(new byte[] {1, 2, 3})
                .exchange()
                .expectStatus().isNoContent()
                .expectHeader().valueEquals(TusHeaders.UPLOAD_OFFSET, "3")
                .expectHeader().exists(TusHeaders.UPLOAD_EXPIRES);
        verify(permits).acquire();
        verify(permits).release();
        verify(uploads, never()).create(any(), any(), anyBoolean(), any());
    }

    private WebTestClient.RequestBodySpec tus(HttpMethod method, String uri) {
        return client.method(method).uri(uri)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.token("alice", "standard", List.of()))
                .header(TusHeaders.TUS_RESUMABLE, TusHeaders.VERSION);
    }

    private static TusUpload upload(long offset) {
        return new TusUpload(ID, "alice", 1024L, offset, 8L * 1024 * 1024, null, List.of(), 0,
                "", "notes.txt", "text/plain", null, "normal",
                TusUpload.Status.UPLOADING, null, EXPIRES.minus(Duration.ofHours(24)), EXPIRES, null);
    }
}
