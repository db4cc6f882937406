package dev.spool.processor.extraction;

import java.nio.file.Path;

/** Where uploaded documents are read from (S3 in production). */
public interface DocumentSource {

    /** Copies the object into {@code target} (created or replaced); documents may be larger than memory. */
    void download(String bucket, String key, Path target) throws Exception;
}
