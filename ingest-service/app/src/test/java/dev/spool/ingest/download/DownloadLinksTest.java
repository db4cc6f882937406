package dev.spool.ingest.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.jobs.JobQueries;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.s3.ObjectStore;
import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.JobError;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** What a download URL says and to whom it is handed, with the job store and S3 replaced; signing is real. */
class DownloadLinksTest {

    private static final String JOB_ID = "0b7e7c1e-3f7a-4c59-9d0e-2f9a6f1b2c3d";
    private static final Caller ALICE = new Caller("alice", Priority.NORMAL, false);
    private static final Instant CREATED = Instant.parse("2026-12-07T21:00:00Z");
    private static final StorageProperties STORAGE = new StorageProperties("http://minio:9000", "us-east-1", "spool",
            "spool-secret-key", true, "spool-uploads", "spool-text");
    private static final DownloadProperties DOWNLOADS = new DownloadProperties(Duration.ofMinutes(15),
            "http://localhost:9000");

    private final JobQueries queries = mock(JobQueries.class);
    private final ObjectStore objects = mock(ObjectStore.class);
    private final S3Presigner presigner = new DownloadConfiguration().downloadPresigner(STORAGE, DOWNLOADS);
    private final DownloadLinks links = new DownloadLinks(queries, objects, presigner, STORAGE, DOWNLOADS);

    @AfterEach
    void closePresigner() {
        presigner.close();
    }

    @Test
    void theOriginalIsSignedForThePublicHostWithItsNameAndType() {
        when(queries.find(ALICE, JOB_ID)).thenReturn(Mono.just(view(JobStatus.QUEUED, null)));
        when(objects.exists("spool-uploads", "uploads/" + JOB_ID)).thenReturn(Mono.just(true));
        Instant before = Instant.now();

        DownloadLink link = links.original(ALICE, JOB_ID).block();

        assertThat(link.url().getScheme() + "://" + link.url().getAuthority()).isEqualTo("http://localhost:9000");
        assertThat(link.url().getPath()).isEqualTo("/spool-uploads/uploads/" + JOB_ID);
        assertThat(link.url().getQuery())
                .contains("response-content-disposition=attachment; filename=\"minutes.pdf\"")
                .contains("response-content-type=application/pdf")
                .contains("X-Amz-Expires=900")
                .doesNotContain("response-content-encoding");
        assertThat(link.expiresAt()).isBetween(before.plus(Duration.ofMinutes(15)).minusSeconds(2),
                Instant.now().plus(Duration.ofMinutes(15)));
    }

    @Test
    void theTextIsAGzipEncodedUtf8TxtAttachment() {
        ExtractionResult result = new ExtractionResult("application/pdf", 2, 10, 2, "en", null, null, "spool-text",
                "text/" + JOB_ID + ".txt.gz", null, null, null, "gzip");
        when(queries.find(ALICE, JOB_ID)).thenReturn(Mono.just(view(JobStatus.COMPLETED, result)));
        when(objects.exists("spool-text", result.textKey())).thenReturn(Mono.just(true));

        DownloadLink link = links.text(ALICE, JOB_ID).block();

        assertThat(link.url().getPath()).isEqualTo("/spool-text/text/" + JOB_ID + ".txt.gz");
        assertThat(link.url().getQuery())
                .contains("response-content-disposition=attachment; filename=\"minutes.txt\"")
                .contains("response-content-type=text/plain; charset=utf-8")
                .contains("response-content-encoding=gzip");
    }

    @Test
    void anotherUsersJobIsAJobThatDoesNotExistAndNothingIsAskedOfS3() {
        when(queries.find(any(), eq(JOB_ID))).thenReturn(Mono.error(new SpoolProblem(ProblemCode.NOT_OWNER)));

        StepVerifier.create(links.original(ALICE, JOB_ID)).verifyErrorSatisfies(e -> assertCode(e, ProblemCode.JOB_NOT_FOUND));
        StepVerifier.create(links.text(ALICE, JOB_ID)).verifyErrorSatisfies(e -> assertCode(e, ProblemCode.JOB_NOT_FOUND));
        verifyNoInteractions(objects);
    }

    @Test
    void aTextBeforeCompletionIsNotReadyAndAFailedJobHasNone() {
        when(queries.find(ALICE, JOB_ID)).thenReturn(Mono.just(view(JobStatus.PROCESSING, null)));
        StepVerifier.create(links.text(ALICE, JOB_ID)).verifyErrorSatisfies(e -> assertCode(e, ProblemCode.NOT_READY));

        when(queries.find(ALICE, JOB_ID)).thenReturn(Mono.just(view(JobStatus.FAILED, null)));
        StepVerifier.create(links.text(ALICE, JOB_ID)).verifyErrorSatisfies(e -> assertCode(e, ProblemCode.JOB_FAILED));
        verifyNoInteractions(objects);
    }

    @Test
    void anObjectGoneFromStorageIsNotSigned() {
        when(queries.find(ALICE, JOB_ID)).thenReturn(Mono.just(view(JobStatus.FAILED, null)));
        when(objects.exists(anyString(), anyString())).thenReturn(Mono.just(false));

        StepVerifier.create(links.original(ALICE, JOB_ID))
                .verifyErrorSatisfies(e -> assertCode(e, ProblemCode.ORIGINAL_NOT_FOUND));
    }

    private static JobView view(JobStatus status, ExtractionResult result) {
        JobError error = status == JobStatus.FAILED ? new JobError(ErrorCode.CORRUPT, "unreadable", false) : null;
        return new JobView(JOB_ID, "alice", "minutes.pdf", 100L, "ab".repeat(32), "application/pdf", Priority.NORMAL,
                status, null, 0, 1, false, CREATED, CREATED, null, null, result, error, 3, CREATED);
    }

    private static void assertCode(Throwable e, ProblemCode code) {
        assertThat(e).isInstanceOfSatisfying(SpoolProblem.class, problem -> assertThat(problem.code()).isEqualTo(code));
    }
}
