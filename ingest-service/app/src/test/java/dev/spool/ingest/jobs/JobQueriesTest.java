package dev.spool.ingest.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.spool.ingest.TestSettings;
import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.s3.ObjectStore;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Where status reads come from and whom they are shown to, with the stores replaced. */
class JobQueriesTest {

    private static final String JOB_ID = "0b7e7c1e-3f7a-4c59-9d0e-2f9a6f1b2c3d";
    private static final Caller ALICE = new Caller("alice", Priority.NORMAL, false);
    private static final JobView VIEW = new JobView(JOB_ID, "alice", "a.txt", 1L, "ab".repeat(32), "text/plain",
            Priority.NORMAL, JobStatus.QUEUED, null, 0, 0, false, Instant.parse("2026-11-22T10:00:00Z"), null, null,
            null, null, null, 1, Instant.parse("2026-11-22T10:00:00Z"));

    private final JobViewCache cache = mock(JobViewCache.class);
    private final JobViewStore store = mock(JobViewStore.class);
    private final JobQueries queries = new JobQueries(cache, store, mock(ObjectStore.class), TestSettings.guard(),
            TestSettings.status(Duration.ofMillis(200)));

    @Test
    void aCachedViewIsServedWithoutMongo() {
        when(cache.get(JOB_ID)).thenReturn(Mono.just(VIEW));

        StepVerifier.create(queries.find(ALICE, JOB_ID)).expectNext(VIEW).verifyComplete();
        verifyNoInteractions(store);
    }

    @Test
    void aCacheMissReadsMongoAndRecaches() {
        when(cache.get(JOB_ID)).thenReturn(Mono.empty());
        when(store.find(JOB_ID)).thenReturn(Mono.just(VIEW));
        when(cache.putIfAbsent(VIEW)).thenReturn(Mono.just(true));

        StepVerifier.create(queries.find(ALICE, JOB_ID)).expectNext(VIEW).verifyComplete();
        verify(cache).putIfAbsent(VIEW);
    }

    @Test
    void aRedisOutageFallsBackToMongoWithoutRecaching() {
        when(cache.get(JOB_ID)).thenReturn(Mono.error(new IllegalStateException("connection refused")));
        when(store.find(JOB_ID)).thenReturn(Mono.just(VIEW));

        StepVerifier.create(queries.find(ALICE, JOB_ID)).expectNext(VIEW).verifyComplete();
        verify(cache, never()).putIfAbsent(any());
    }

    @Test
    void aRedisThatHangsCountsAsAnOutage() {
        when(cache.get(JOB_ID)).thenReturn(Mono.never());
        when(store.find(JOB_ID)).thenReturn(Mono.just(VIEW));

        StepVerifier.create(queries.find(ALICE, JOB_ID)).expectNext(VIEW).verifyComplete();
    }

    @Test
    void neitherStoreAnsweringIsStatusUnavailable() {
        when(cache.get(JOB_ID)).thenReturn(Mono.error(new IllegalStateException("redis down")));
        when(store.find(JOB_ID)).thenReturn(Mono.never());

        StepVerifier.create(queries.find(ALICE, JOB_ID)).verifyErrorSatisfies(e -> assertCode(e, ProblemCode.STATUS_UNAVAILABLE));
    }

    @Test
    void aJobMongoDoesNotKnowIsNotFound() {
        when(cache.get(JOB_ID)).thenReturn(Mono.empty());
        when(store.find(JOB_ID)).thenReturn(Mono.empty());

        StepVerifier.create(queries.find(ALICE, JOB_ID)).verifyErrorSatisfies(e -> assertCode(e, ProblemCode.JOB_NOT_FOUND));
    }

    @Test
    void onlyTheOwnerOrAnAdminMayReadAJob() {
        when(cache.get(JOB_ID)).thenReturn(Mono.just(VIEW));

        StepVerifier.create(queries.find(new Caller("bob", Priority.HIGH, false), JOB_ID))
                .verifyErrorSatisfies(e -> assertCode(e, ProblemCode.NOT_OWNER));
        StepVerifier.create(queries.find(new Caller("root", Priority.NORMAL, true), JOB_ID)).expectNext(VIEW).verifyComplete();
    }

    @Test
    void anIdThatIsNoUuidIsNotFoundWithoutAskingAnyStore() {
        StepVerifier.create(queries.find(ALICE, "../../etc")).verifyErrorSatisfies(e -> assertCode(e, ProblemCode.JOB_NOT_FOUND));
        verifyNoInteractions(cache, store);
    }

    @Test
    void textOfAQueuedJobIsNotReady() {
        when(cache.get(JOB_ID)).thenReturn(Mono.just(VIEW));

        StepVerifier.create(queries.text(ALICE, JOB_ID)).verifyErrorSatisfies(e -> assertCode(e, ProblemCode.NOT_READY));
    }

    private static void assertCode(Throwable e, ProblemCode code) {
        assertThat(e).isInstanceOfSatisfying(SpoolProblem.class, problem -> assertThat(problem.code()).isEqualTo(code));
    }
}
