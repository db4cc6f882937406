package dev.spool.processor.extraction;

/** Where extracted text is kept (the text bucket in production). */
public interface TextStore {

    /** The bucket every {@link #put} writes to; it is part of the job's result. */
    String bucket();

    void put(String key, String text) throws Exception;
}
