package dev.spool.processor.extraction;

/** Where uploaded documents are read from (S3 in production). */
public interface DocumentSource {

    /** The whole object; documents are bounded by the upload limit, so they are held in memory. */
    byte[] download(String bucket, String key) throws Exception;
}
