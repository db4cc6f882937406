package dev.spool.processor.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobProgress;
import dev.spool.schemas.event.JobStarted;
import dev.spool.schemas.event.Priority;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One attempt: small plain text from download to store in memory, with a started signal and no progress between;
 * anything else through files and a worker, with a signal per stage.
 */
class JobProcessingTest {

    private static final ExtractionLimits LIMITS = new ExtractionLimits(10_000, 100, 1 << 20, 100, Duration.ofSeconds(10),
            "256m");
    private static final TikaTextExtractor TIKA = new TikaTextExtractor(LIMITS);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path work;

    private final Map<String, byte[]> objects = new HashMap<>();
    private final Map<String, byte[]> texts = new HashMap<>();
    private final List<String> downloadedToFiles = new ArrayList<>();
    private final List<String> reads = new ArrayList<>();
    private final List<JobEvent> signals = new ArrayList<>();

    private final DocumentSource documents = new DocumentSource() {
        @Override
        public void download(String bucket, String key, Path target) throws Exception {
            downloadedToFiles.add(key);
            Files.write(target, objects.get(key));
        }

        @Override
        public byte[] read(String bucket, String key, long maxBytes) {
            reads.add(key);
            byte[] object = objects.get(key);
            return object.length > maxBytes ? Arrays.copyOf(object, (int) maxBytes + 1) : object;
        }

        @Override
        public boolean exists(String bucket, String key) {
            return objects.containsKey(key);
        }
    };
    private final TextStore store = new TextStore() {
        @Override
        public String bucket() {
            return "spool-text";
        }

        @Override
        public String encoding() {
            return "gzip";
        }

        @Override
        public void put(String key, Path text) throws Exception {
            texts.put(key, Files.readAllBytes(text));
        }

        @Override
        public void put(String key, byte[] utf8) {
            texts.put(key, utf8);
        }

        @Override
        public void delete(String key) {
            texts.remove(key);
        }
    };
    private final TextExtractor worker = (document, declaredType, textOut, detected) -> {
        detected.accept("application/pdf");
        Files.writeString(textOut, "from the worker");
        return new ExtractionSummary("application/pdf", 1, 15, 3, null, null, null, null, null, Map.of(), null);
    };

    @Test
    void smallPlainTextGoesFromDownloadToStoreInMemoryWithOnlyItsStartSignalled() throws Exception {
        byte[] text = "Herons wade in the shallows at dawn.".getBytes(StandardCharsets.UTF_8);
        objects.put("up/a", text);

        AttemptOutcome outcome = processing(1024).process(job("a", "text/plain", text), null);

        JobCompleted completed = ((AttemptOutcome.Completed) outcome).fact();
        assertThat(completed.result().words()).isEqualTo(7);
        assertThat(completed.result().textKey()).isEqualTo(JobProcessing.textKey("a"));
        assertThat(texts.get(JobProcessing.textKey("a"))).isEqualTo(text);
        assertThat(downloadedToFiles).isEmpty();
        assertThat(signals).singleElement().isInstanceOf(JobStarted.class);
        assertThat(workFolderEntries()).isZero();
    }

    @Test
    void everyOtherDocumentGoesThroughFilesAndTheWorkerWithASignalPerStage() throws Exception {
        objects.put("up/b", "%PDF-1.7 not really".getBytes(StandardCharsets.ISO_8859_1));

        AttemptOutcome outcome = processing(1024).process(job("b", "application/pdf", objects.get("up/b")), null);

        assertThat(((AttemptOutcome.Completed) outcome).fact().result().contentType()).isEqualTo("application/pdf");
        assertThat(downloadedToFiles).containsExactly("up/b");
        assertThat(new String(texts.get(JobProcessing.textKey("b")), StandardCharsets.UTF_8)).isEqualTo("from the worker");
        assertThat(signals).first().isInstanceOf(JobStarted.class);
        assertThat(signals).filteredOn(JobProgress.class::isInstance).hasSize(4);
        assertThat(workFolderEntries()).isZero();
    }

    @Test
    void aStoredObjectOfAnotherSizeThanAcceptedFailsTheAttemptInsteadOfExtractingTheWrongBytes() {
        objects.put("up/c", "a longer text than the job says it has".getBytes(StandardCharsets.UTF_8));

        JobAccepted job = new JobAccepted("c", "owner-1", "doc", 5, "00".repeat(32), "text/plain", null,
                Priority.NORMAL, "spool-uploads", "up/c", 1, CLOCK.instant());

        AttemptOutcome outcome = processing(1024).process(job, null);

        assertThat(outcome).isInstanceOfSatisfying(AttemptOutcome.Failed.class,
                failed -> assertThat(failed.error().code()).isEqualTo(ErrorCode.INTERNAL));
        assertThat(texts).isEmpty();
    }

    @Test
    void aDocumentThatTravelledWithItsWorkIsExtractedWithoutReadingTheStoredOne() throws Exception {
        byte[] text = "Sent along with the work record.".getBytes(StandardCharsets.UTF_8);
        byte[] pdf = "%PDF-1.7 small".getBytes(StandardCharsets.ISO_8859_1);
        objects.put("up/d", text);
        objects.put("up/e", pdf);

        AttemptOutcome plain = processing(1024).process(job("d", "text/plain", text), text);
        AttemptOutcome rich = processing(1024).process(job("e", "application/pdf", pdf), pdf);

        assertThat(plain).isInstanceOf(AttemptOutcome.Completed.class);
        assertThat(rich).isInstanceOf(AttemptOutcome.Completed.class);
        assertThat(texts.get(JobProcessing.textKey("d"))).isEqualTo(text);
        assertThat(reads).as("nothing was read from storage").isEmpty();
        assertThat(downloadedToFiles).isEmpty();
    }

    @Test
    void aTravellingDocumentThatIsNotTheJobsIsIgnoredAndTheStoredOneRead() throws Exception {
        byte[] stored = "The stored document of record.".getBytes(StandardCharsets.UTF_8);
        byte[] other = "The stored document of recorD.".getBytes(StandardCharsets.UTF_8);
        objects.put("up/f", stored);

        AttemptOutcome outcome = processing(1024).process(job("f", "text/plain", stored), other);

        assertThat(outcome).isInstanceOf(AttemptOutcome.Completed.class);
        assertThat(texts.get(JobProcessing.textKey("f"))).isEqualTo(stored);
        assertThat(reads).containsExactly("up/f");
    }

    @Test
    void aJobDeletedWhileItRanFailsAndLeavesNoText() throws Exception {
        byte[] text = "Written after the owner deleted the job.".getBytes(StandardCharsets.UTF_8);
        byte[] pdf = "%PDF-1.7 small".getBytes(StandardCharsets.ISO_8859_1);

        AttemptOutcome plain = processing(1024).process(job("g", "text/plain", text), text);
        AttemptOutcome rich = processing(1024).process(job("h", "application/pdf", pdf), pdf);

        assertThat(List.of(plain, rich)).allSatisfy(outcome -> assertThat(outcome).isInstanceOfSatisfying(
                AttemptOutcome.Failed.class, failed -> assertThat(failed.error().code())
                        .isEqualTo(ErrorCode.OBJECT_MISSING)));
        assertThat(texts).isEmpty();
    }

    private JobProcessing processing(long inProcessMax) {
        return new JobProcessing(documents, new PlainTextInProcess(() -> TIKA, LIMITS, inProcessMax), worker, store,
                signals::add, work, CLOCK);
    }

    private long workFolderEntries() throws Exception {
        if (!Files.exists(work)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(work)) {
            return entries.count();
        }
    }

    private static JobAccepted job(String jobId, String contentType, byte[] document) throws Exception {
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document));
        return new JobAccepted(jobId, "owner-1", "doc", document.length, sha256, contentType, null, Priority.NORMAL,
                "spool-uploads", "up/" + jobId, 1, CLOCK.instant());
    }
}
