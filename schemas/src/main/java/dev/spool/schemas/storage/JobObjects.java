package dev.spool.schemas.storage;

/**
 * Where a job's objects are in S3, derived from its id alone: whoever must find or remove them (the downloads, a
 * deletion, a retention sweep) needs no view that may not be written yet. The buckets are each service's setting.
 */
public final class JobObjects {

    /** The prefix of every uploaded file's key in the upload bucket. */
    public static final String UPLOAD_PREFIX = "uploads/";
    /** The prefix of every extracted text's key in the text bucket. */
    public static final String TEXT_PREFIX = "text/";

    private JobObjects() {
    }

    /** The key of a job's uploaded file in the upload bucket (never the filename). */
    public static String uploadKey(String jobId) {
        return UPLOAD_PREFIX + jobId;
    }

    /** The key of a job's extracted text, gzip-compressed, in the text bucket. */
    public static String textKey(String jobId) {
        return TEXT_PREFIX + jobId + ".txt.gz";
    }
}
