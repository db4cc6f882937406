package dev.spool.processor.extraction;

import java.nio.file.Path;

/** Where extracted text is kept (the text bucket in production). */
public interface TextStore {

    /** The bucket every {@link #put} writes to; it is part of the job's result. */
    String bucket();

    /** The content encoding stored texts have ({@code gzip}), or {@code null} when they are stored as is. */
    String encoding();

    /** Stores the UTF-8 text in {@code text} under {@code key}, replacing what was there. */
    void put(String key, Path text) throws Exception;

    /** Stores the UTF-8 text {@code utf8} under {@code key}, replacing what was there. */
    void put(String key, byte[] utf8) throws Exception;

    /** Removes the text under {@code key}; removing a missing text succeeds. */
    void delete(String key) throws Exception;
}
