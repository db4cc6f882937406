package dev.spool.processor.extraction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.tika.mime.MediaType;

/**
 * Extracts small plain-text documents in this process and hands everything else to the sandboxed extractor. Plain
 * text cannot expand and its size bounds both the time and the memory its parse takes, so it needs no worker process;
 * skipping the round trip to one is most of the cost of a small text job. The type is the one ingest detected from the
 * content (a client's claim never reaches a work record), so it is not detected again: matching every magic pattern
 * Tika knows was the dearest step of a small text. Whatever Tika parses with its plain-text parser (CSV, Markdown,
 * JSON as well) stays here; a document ingest found to be anything else goes to the sandbox.
 */
public final class PlainTextInProcess implements TextExtractor {

    private final Supplier<TikaTextExtractor> inProcess;
    private final TextExtractor sandboxed;
    private final long maxBytes;

    /**
     * @param maxBytes largest document extracted here; {@code 0} sends every document to {@code sandboxed}
     */
    /**
     * @param inProcess the extractor for plain text, asked for at the first such document (building one loads all of
     *     Tika's parsers)
     */
    public PlainTextInProcess(Supplier<TikaTextExtractor> inProcess, TextExtractor sandboxed, long maxBytes) {
        this.inProcess = Objects.requireNonNull(inProcess, "inProcess");
        this.sandboxed = Objects.requireNonNull(sandboxed, "sandboxed");
        this.maxBytes = maxBytes;
    }

    @Override
    public ExtractionSummary extract(Path document, String declaredType, Path textOut, Consumer<String> detected)
            throws Exception {
        MediaType type = declaredType == null ? null : MediaType.parse(declaredType);
        if (type != null && maxBytes > 0 && Files.size(document) <= maxBytes) {
            TikaTextExtractor tika = inProcess.get();
            if (tika.parsesAsPlainText(type.getBaseType())) {
                return tika.extractPlainText(document, type.getBaseType(), textOut, detected);
            }
        }
        return sandboxed.extract(document, declaredType, textOut, detected);
    }
}
