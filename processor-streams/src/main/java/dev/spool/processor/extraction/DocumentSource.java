package dev.spool.processor.extraction;

import java.nio.file.Path;

/** Where uploaded documents are read from (S3 in production). */
public interface DocumentSource {

    /** Copies the object into {@code target} (created or replaced); documents may be larger than memory. */
    void download(String bucket, String key, Path target) throws Exception;

    /**
     * The object's bytes, for documents known to be small: at most its first {@code maxBytes + 1}, so that an
     * object larger than it should be shows as such without being read whole.
     */
    byte[] read(String bucket, String key, long maxBytes) throws Exception;

    /** Whether the object is still stored; a job deleted while it ran has lost its original. */
    boolean exists(String bucket, String key) throws Exception;
}
