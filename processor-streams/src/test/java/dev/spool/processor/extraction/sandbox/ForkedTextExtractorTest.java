package dev.spool.processor.extraction.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spool.processor.extraction.ExtractionLimits;
import dev.spool.processor.extraction.ExtractionRefusedException;
import dev.spool.processor.extraction.ExtractionSummary;
import dev.spool.processor.extraction.HostileDocuments;
import dev.spool.processor.extraction.TikaTextExtractor;
import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.event.Truncation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction in real worker processes: workers are reused; one that overruns its time is killed and one that runs
 * out of memory dies, each with a precise error, and the next document is extracted by a fresh worker; a slow
 * document holds one place, and the documents behind it go on in a shared one.
 */
class ForkedTextExtractorTest {

    private static final int CATALOGUE_PAGES = 5_000;

    @TempDir
    static Path folder;

    private static Path note;
    private static Path manyPages;
    /** Seconds of parsing: slow beside a note, quick enough for a test to wait for. */
    private static Path catalogue;

    @BeforeAll
    static void fixtures() throws Exception {
        note = Files.writeString(folder.resolve("note.txt"), "Otters hold hands while they sleep.");
        manyPages = HostileDocuments.manyPagesPdf(folder.resolve("pages.pdf"), 20_000);
        catalogue = HostileDocuments.manyPagesPdf(folder.resolve("catalogue.pdf"), CATALOGUE_PAGES);
    }

    @Test
    void aWarmWorkerExtractsOneDocumentAfterAnother() throws Exception {
        try (ForkedTextExtractor extractor = oneWorker(limits(Duration.ofSeconds(60), "256m", 10_000))) {
            List<String> detected = new ArrayList<>();
            ExtractionSummary first = extract(extractor, note, detected);
            long pid = extractor.idleWorkerPid().orElseThrow();
            ExtractionSummary second = extract(extractor, note, detected);

            assertThat(first.words()).isEqualTo(6);
            assertThat(second).isEqualTo(first);
            assertThat(detected).containsExactly("text/plain", "text/plain");
            assertThat(extractor.idleWorkerPid()).contains(pid);
        }
    }

    @Test
    void anImagesMetadataComesBackFromTheWorkerWhole() throws Exception {
        Path photo = Path.of(ForkedTextExtractorTest.class.getResource("/images/captioned.jpg").toURI());
        try (ForkedTextExtractor extractor = oneWorker(limits(Duration.ofSeconds(60), "256m", 10_000))) {
            ExtractionSummary summary = extract(extractor, photo, new ArrayList<>());

            assertThat(summary).isEqualTo(new TikaTextExtractor(limits(Duration.ofSeconds(60), "256m", 10_000))
                    .extract(photo, null, folder.resolve(UUID.randomUUID() + ".txt"), type -> { }));
            assertThat(summary.image().gps()).isNotNull();
            assertThat(summary.image().keywords()).contains("Köln");
        }
    }

    @Test
    void aDocumentThatOverrunsItsTimeIsAbandonedAndTheNextOneRunsOnAFreshWorker() throws Exception {
        try (ForkedTextExtractor extractor = oneWorker(limits(Duration.ofSeconds(3), "256m", 100_000))) {
            extract(extractor, note, new ArrayList<>());
            long pid = extractor.idleWorkerPid().orElseThrow();

            ExtractionRefusedException refused = catchThrowableOfType(ExtractionRefusedException.class,
                    () -> extract(extractor, manyPages, new ArrayList<>()));

            assertThat(refused.code()).isEqualTo(ErrorCode.TIMEOUT);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("the overrunning worker is gone")
                    .satisfiesAnyOf(handle -> assertThat(handle).isEmpty(), handle -> assertThat(handle).contains(false));
            assertThat(extract(extractor, note, new ArrayList<>()).words()).isEqualTo(6);
            assertThat(extractor.idleWorkerPid()).isPresent().isNotEqualTo(Optional.of(pid));
        }
    }

    @Test
    void aDocumentThatExhaustsTheWorkersHeapFailsAsTooLargeAndTheNextOneRuns() throws Exception {
        Path large = HostileDocuments.largeDocx(folder.resolve("large.docx"), 200_000);
        ExtractionLimits tight = new ExtractionLimits(100_000_000, 10_000, Long.MAX_VALUE, Integer.MAX_VALUE,
                Duration.ofSeconds(60), "128m");
        try (ForkedTextExtractor extractor = oneWorker(tight)) {
            ExtractionRefusedException refused = catchThrowableOfType(ExtractionRefusedException.class,
                    () -> extract(extractor, large, new ArrayList<>()));

            assertThat(refused.code()).isEqualTo(ErrorCode.TOO_LARGE_TO_EXTRACT);
            assertThat(refused.getMessage()).contains("ran out of memory");
            assertThat(extract(extractor, note, new ArrayList<>()).words()).isEqualTo(6);
        }
    }

    @Test
    void theDocumentsBehindASlowOneGoOnInASharedPlaceWithinTheBoundOfTheirPlaces() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (ForkedTextExtractor extractor = new ForkedTextExtractor(limits(Duration.ofSeconds(60), "256m", 1_000_000),
                new ExtractionPlaces(Map.of(Priority.NORMAL, 1), 1))) {
            extractor.prestart();
            List<String> slowDetected = new CopyOnWriteArrayList<>();
            Future<ExtractionSummary> slow = background.submit(() -> extract(extractor, catalogue, slowDetected));
            await().atMost(Duration.ofSeconds(30)).until(() -> !slowDetected.isEmpty());

            ExtractionSummary first = extract(extractor, note, new ArrayList<>());
            ExtractionSummary second = extract(extractor, note, new ArrayList<>());

            assertThat(first.words()).isEqualTo(6);
            assertThat(second.words()).isEqualTo(6);
            assertThat(slow).as("the slow document, still extracting").isNotDone();
            assertThat(workerProcesses()).as("worker processes: one own place, one shared").isEqualTo(2);
            assertThat(slow.get(90, TimeUnit.SECONDS).pages()).isEqualTo(CATALOGUE_PAGES);
        } finally {
            background.shutdownNow();
        }
    }

    @Test
    void withoutASharedPlaceTheDocumentBehindASlowOneWaitsForIt() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (ForkedTextExtractor extractor = oneWorker(limits(Duration.ofSeconds(60), "256m", 1_000_000))) {
            List<String> slowDetected = new CopyOnWriteArrayList<>();
            Future<ExtractionSummary> slow = background.submit(() -> extract(extractor, catalogue, slowDetected));
            await().atMost(Duration.ofSeconds(30)).until(() -> !slowDetected.isEmpty());

            extract(extractor, note, new ArrayList<>());

            assertThat(slow).as("the slow document ended first").isDone();
        } finally {
            background.shutdownNow();
        }
    }

    @Test
    void aZipBombIsRefusedByTheWorkerWithoutParsingIt() throws Exception {
        Path bomb = HostileDocuments.zipBombDocx(folder.resolve("bomb.docx"), 256L << 20);
        try (ForkedTextExtractor extractor = oneWorker(limits(Duration.ofSeconds(60), "256m", 10_000))) {
            ExtractionRefusedException refused = catchThrowableOfType(ExtractionRefusedException.class,
                    () -> extract(extractor, bomb, new ArrayList<>()));

            assertThat(refused.code()).isEqualTo(ErrorCode.TOO_LARGE_TO_EXTRACT);
        }
    }

    @Test
    void aTextCutAtTheCharacterLimitInTheWorkerSaysSoToItsParent() throws Exception {
        ExtractionLimits ten = new ExtractionLimits(10, 100, 1L << 30, 100, Duration.ofSeconds(60), "256m");
        try (ForkedTextExtractor extractor = oneWorker(ten)) {
            ExtractionSummary summary = extract(extractor, note, new ArrayList<>());

            assertThat(summary.truncated()).isEqualTo(Truncation.atCharacters(10));
            assertThat(summary.characters()).isEqualTo(10);
        }
    }

    @Test
    void theWorkerCommandCapsTheHeapAndEndsTheProcessOnOutOfMemory() {
        List<String> command = ForkedTextExtractor.command(limits(Duration.ofSeconds(5), "384m", 10));

        assertThat(command).contains("-Xmx384m", "-XX:+ExitOnOutOfMemoryError", ExtractionWorker.class.getName());
    }

    /** One place, of the normal tier, and none shared. */
    private static ForkedTextExtractor oneWorker(ExtractionLimits limits) {
        return new ForkedTextExtractor(limits, new ExtractionPlaces(Map.of(Priority.NORMAL, 1), 0));
    }

    /** This JVM's extraction worker processes: its children that are Java processes. */
    private static long workerProcesses() {
        return ProcessHandle.current().children()
                .filter(child -> child.isAlive() && child.info().command().orElse("").endsWith("/java"))
                .count();
    }

    private static ExtractionLimits limits(Duration timeout, String heap, int maxPages) {
        return new ExtractionLimits(10_000_000, maxPages, 1L << 30, 100, timeout, heap);
    }

    private static ExtractionSummary extract(ForkedTextExtractor extractor, Path document, List<String> detected)
            throws Exception {
        return extractor.forTier(Priority.NORMAL).extract(document, null, folder.resolve(UUID.randomUUID() + ".txt"),
                detected::add);
    }
}
