package dev.spool.processor.extraction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;

/**
 * Extracts small plain-text documents in this process and hands everything else to the sandboxed extractor. Plain
 * text cannot expand and its size bounds both the time and the memory its parse takes, so it needs no worker process;
 * skipping the round trip to one is most of the cost of a small text job. The type is detected from the content, as
 * the worker would, so a document that only claims to be text still goes to the sandbox.
 */
public final class PlainTextInProcess implements TextExtractor {

    private static final String PLAIN_TEXT = MediaType.TEXT_PLAIN.toString();

    private final TikaTextExtractor inProcess;
    private final TextExtractor sandboxed;
    private final long maxBytes;
    private final Detector detector = new AutoDetectParser().getDetector();

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
        if (isSmallPlainText(document, declaredType)) {
            return inProcess.extract(document, declaredType, textOut, detected);
        }
        return sandboxed.extract(document, declaredType, textOut, detected);
    }

    private boolean isSmallPlainText(Path document, String declaredType) throws IOException {
        if (maxBytes <= 0 || Files.size(document) > maxBytes) {
            return false;
        }
        Metadata metadata = new Metadata();
        if (declaredType != null) {
            metadata.set(Metadata.CONTENT_TYPE, declaredType);
        }
        try (TikaInputStream stream = TikaInputStream.get(document)) {
            return PLAIN_TEXT.equals(detector.detect(stream, metadata).getBaseType().toString());
        }
    }
}
