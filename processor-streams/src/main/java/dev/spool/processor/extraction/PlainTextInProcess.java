package dev.spool.processor.extraction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.tika.mime.MediaType;

/**
 * Extracts small plain-text documents in this process and hands everything else to the sandboxed extractor. Plain
 * text cannot expand and its size bounds both the time and the memory its parse takes, so it needs no worker process;
 * skipping the round trip to one is most of the cost of a small text job. The type is detected once, from the content
 * as the worker would, so a document that only claims to be text still goes to the sandbox; whatever Tika parses with
 * its plain-text parser (CSV, Markdown, JSON as well) stays here.
 */
public final class PlainTextInProcess implements TextExtractor {

    private final TikaTextExtractor inProcess;
    private final TextExtractor sandboxed;
    private final long maxBytes;

    /**
     * @param maxBytes largest document extracted here; {@code 0} sends every document to {@code sandboxed}
     */
    public PlainTextInProcess(TikaTextExtractor inProcess, TextExtractor sandboxed, long maxBytes) {
        this.inProcess = Objects.requireNonNull(inProcess, "inProcess");
        this.sandboxed = Objects.requireNonNull(sandboxed, "sandboxed");
        this.maxBytes = maxBytes;
    }

    @Override
    public ExtractionSummary extract(Path document, String declaredType, Path textOut, Consumer<String> detected)
            throws Exception {
        if (maxBytes > 0 && Files.size(document) <= maxBytes) {
            MediaType type = inProcess.detect(document, declaredType);
            if (inProcess.parsesAsPlainText(type)) {
                return inProcess.extractPlainText(document, type, textOut, detected);
            }
        }
        return sandboxed.extract(document, declaredType, textOut, detected);
    }
}
