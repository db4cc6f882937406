package dev.spool.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.publish.JobPublisher;
import dev.spool.ingest.storage.ObjectStore;
import dev.spool.ingest.storage.StoredObject;
import dev.spool.ingest.storage.UploadStore;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.topic.Priority;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The upload flow with its collaborators replaced: what gets stored, published and cleaned up. */
class UploadServiceTest {

    private static final Caller ALICE = new Caller("alice", Priority.NORMAL, false);

    private final UploadStore uploads = mock(UploadStore.class);
    private final ObjectStore objects = mock(ObjectStore.class);
    private final JobPublisher publisher = mock(JobPublisher.class);
    private final UploadService service = new UploadService(uploads, objects, publisher);

    @BeforeEach
    void storeEveryFileAndSucceed() {
        when(uploads.store(anyString(), any())).thenAnswer(call -> {
            String key = call.getArgument(0);
            Flux<DataBuffer> content = call.getArgument(1);
            return DataBufferUtils.join(content).map(joined -> {
                long size = joined.readableByteCount();
                DataBufferUtils.release(joined);
                return new StoredObject("spool-uploads", key, size, "ab".repeat(32), "text/plain");
            });
        });
        when(objects.delete(anyString(), anyString())).thenReturn(Mono.empty());
        when(publisher.publish(anyList())).thenReturn(Mono.empty());
    }

    @Test
    void aFileBecomesOneAcceptedJobInTheCallersTier() {
        StepVerifier.create(service.accept(ALICE, null, file("../notes/hello.txt", "hello")))
                .assertNext(jobs -> assertThat(jobs).singleElement().satisfies(job -> {
                    assertThat(job.ownerId()).isEqualTo("alice");
                    assertThat(job.filename()).isEqualTo("hello.txt");
                    assertThat(job.size()).isEqualTo(5);
                    assertThat(job.priority()).isEqualTo(Priority.NORMAL);
                    assertThat(job.declaredContentType()).isEqualTo("text/plain");
                    assertThat(job.bucket()).isEqualTo("spool-uploads");
                    assertThat(job.objectKey()).isEqualTo("uploads/" + job.jobId());
                    assertThat(job.attempt()).isEqualTo(1);
                }))
                .verifyComplete();
        verify(objects, never()).delete(anyString(), anyString());
    }

    @Test
    void aPriorityFormFieldMayLowerTheTier() {
        Flux<PartEvent> parts = Flux.concat(FormPartEvent.create("priority", "low"), file("a.txt", "a"));

        StepVerifier.create(service.accept(ALICE, null, parts))
                .assertNext(jobs -> assertThat(jobs).extracting(JobAccepted::priority).containsExactly(Priority.LOW))
                .verifyComplete();
    }

    @Test
    void aHigherPriorityAfterTheFileDeletesTheStoredFile() {
        Flux<PartEvent> parts = Flux.concat(file("a.txt", "a"), FormPartEvent.create("priority", "high"));

        StepVerifier.create(service.accept(ALICE, null, parts))
                .verifyErrorSatisfies(e -> assertThat(((SpoolProblem) e).code()).isEqualTo(ProblemCode.PRIORITY_NOT_ALLOWED));
        verify(objects).delete(eq("spool-uploads"), any());
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void aFailedPublishDeletesEveryStoredFileAndAnswersPublishFailed() {
        when(publisher.publish(anyList())).thenReturn(Mono.error(new IllegalStateException("broker down")));

        StepVerifier.create(service.accept(ALICE, null, Flux.concat(file("a.txt", "a"), file("b.txt", "b"))))
                .verifyErrorSatisfies(e -> assertThat(((SpoolProblem) e).code()).isEqualTo(ProblemCode.PUBLISH_FAILED));
        ArgumentCaptor<String> deleted = ArgumentCaptor.forClass(String.class);
        verify(objects, times(2)).delete(eq("spool-uploads"), deleted.capture());
        assertThat(deleted.getAllValues()).allSatisfy(key -> assertThat(key).startsWith("uploads/"));
    }

    @Test
    void aClientGoneWhilePublishingLeavesTheOutcomeToKafka() {
        when(publisher.publish(anyList())).thenReturn(Mono.never());

        StepVerifier.create(service.accept(ALICE, null, file("a.txt", "a")))
                .expectSubscription()
                .then(() -> verify(publisher).publish(anyList()))
                .thenCancel()
                .verify();
        verify(objects, never()).delete(anyString(), anyString());
    }

    @Test
    void aClientGoneWhileStoringDeletesWhatWasStored() {
        Flux<PartEvent> parts = Flux.concat(file("a.txt", "a"), Flux.never());

        StepVerifier.create(service.accept(ALICE, null, parts))
                .expectSubscription()
                .then(() -> verify(uploads).store(anyString(), any()))
                .thenCancel()
                .verify();
        verify(objects).delete(eq("spool-uploads"), any());
    }

    @Test
    void severalFilesArePublishedTogetherInPartOrder() {
        StepVerifier.create(service.accept(ALICE, "low", Flux.concat(file("a.txt", "a"), file("b.txt", "bb"))))
                .assertNext(jobs -> assertThat(jobs).extracting(JobAccepted::filename).containsExactly("a.txt", "b.txt"))
                .verifyComplete();
        verify(publisher).publish(anyList());
    }

    @Test
    void aBodyWithoutAFilePartIsFileMissing() {
        Flux<PartEvent> parts = Flux.concat(FormPartEvent.create("comment", "hi"), file("other", "x.txt", "x"));

        StepVerifier.create(service.accept(ALICE, null, parts))
                .verifyErrorSatisfies(e -> assertThat(((SpoolProblem) e).code()).isEqualTo(ProblemCode.FILE_MISSING));
        verify(uploads, never()).store(anyString(), any());
    }

    @Test
    void aHigherQueryPriorityIsRefusedBeforeReadingTheBody() {
        Flux<PartEvent> parts = Flux.error(new AssertionError("the body must not be read"));

        StepVerifier.create(service.accept(ALICE, "high", parts))
                .verifyErrorSatisfies(e -> assertThat(((SpoolProblem) e).code()).isEqualTo(ProblemCode.PRIORITY_NOT_ALLOWED));
    }

    private static Flux<PartEvent> file(String filename, String content) {
        return file("file", filename, content);
    }

    private static Flux<PartEvent> file(String name, String filename, String content) {
        DataBuffer buffer = DefaultDataBufferFactory.sharedInstance.wrap(content.getBytes(StandardCharsets.UTF_8));
        return FilePartEvent.create(name, filename, MediaType.TEXT_PLAIN, Flux.just(buffer)).cast(PartEvent.class);
    }
}
