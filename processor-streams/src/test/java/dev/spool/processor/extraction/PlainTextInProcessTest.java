package dev.spool.processor.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small plain text, CSV and Markdown, as ingest detected them, stay in the processor; anything else, or anything
 * larger, goes to a worker.
 */
class PlainTextInProcessTest {

    private static final ExtractionLimits LIMITS = new ExtractionLimits(10_000, 100, 1 << 20, 100, Duration.ofSeconds(10),
            "256m");

    private static final TikaTextExtractor TIKA = new TikaTextExtractor(LIMITS);

    @TempDir
    Path folder;

    private final List<Path> sandboxed = new ArrayList<>();
    private final TextExtractor sandbox = (document, declaredType, textOut, detected) -> {
        sandboxed.add(document);
        Files.writeString(textOut, "from the worker");
        return new ExtractionSummary("application/pdf", 1, 15, 3, null, null, null, null, null, Map.of());
    };
    private final PlainTextInProcess extractor = new PlainTextInProcess(() -> TIKA, sandbox, 1024);

    @Test
    void plainTextIsExtractedHereAsTheTypeIngestDetected() throws Exception {
        List<String> detected = new ArrayList<>();
        ExtractionSummary summary = extractor.extract(file("notes.txt", "Herons wade in the shallows at dawn.\n"),
                "text/plain", folder.resolve("out.txt"), detected::add);

        assertThat(sandboxed).isEmpty();
        assertThat(detected).containsExactly("text/plain");
        assertThat(summary.contentType()).isEqualTo("text/plain");
        assertThat(summary.words()).isEqualTo(7);
        assertThat(Files.readString(folder.resolve("out.txt"))).contains("Herons wade in the shallows");
    }

    @Test
    void csvAndMarkdownStayHereToo() throws Exception {
        extractor.extract(file("table.csv", "item,count\nheron,3\nmarmalade,7\n"), "text/csv", folder.resolve("a.txt"),
                type -> { });
        extractor.extract(file("readme.md", "# Readme\n\nSome *notes* about herons.\n"), "text/markdown",
                folder.resolve("b.txt"), type -> { });

        assertThat(sandboxed).isEmpty();
        assertThat(Files.readString(folder.resolve("a.txt"))).contains("heron");
    }

    @Test
    void aDocumentIngestFoundToBeRichGoesToTheWorker() throws Exception {
        Path pdf = Files.write(folder.resolve("report.pdf"), "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n".getBytes(
                StandardCharsets.ISO_8859_1));

        extractor.extract(pdf, "application/pdf", folder.resolve("out.txt"), type -> { });

        assertThat(sandboxed).containsExactly(pdf);
    }

    @Test
    void htmlAndTextAboveTheSizeLimitGoToTheWorker() throws Exception {
        Path html = file("page.html", "<!DOCTYPE html><html><head><title>T</title></head><body><p>Hi</p></body></html>");
        Path large = file("large.txt", "word ".repeat(300));

        extractor.extract(html, "text/html", folder.resolve("a.txt"), type -> { });
        extractor.extract(large, "text/plain", folder.resolve("b.txt"), type -> { });

        assertThat(sandboxed).containsExactly(html, large);
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(folder.resolve(name), content, StandardCharsets.UTF_8);
    }
}
