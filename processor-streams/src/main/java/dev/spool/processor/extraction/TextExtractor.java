package dev.spool.processor.extraction;

import java.nio.file.Path;
import java.util.function.Consumer;

/** Turns a document into plain text plus the facts the job's result needs. */
public interface TextExtractor {

    /**
     * Extracts {@code document}'s text into {@code textOut} (UTF-8, created or replaced) and summarises it.
     *
     * @param declaredType the media type ingest detected from the content, a hint where the parser's own detection
     *     cannot tell (UTF-16 text, for one); may be {@code null}
     * @param detected told the detected media type once detection is done and text extraction begins
     *
     * @throws ExtractionRefusedException when the document cannot or must not be extracted, with the job's error code
     * @throws Exception any other failure, classified by {@link FailureClassifier}
     */
    ExtractionSummary extract(Path document, String declaredType, Path textOut, Consumer<String> detected)
            throws Exception;
}
