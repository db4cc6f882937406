package dev.spool.processor.extraction;

/** Turns a document's bytes into plain text plus the metadata the job summary needs. */
public interface TextExtractor {

    ExtractedText extract(byte[] document) throws Exception;
}
