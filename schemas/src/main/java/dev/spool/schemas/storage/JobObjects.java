package dev.spool.schemas.storage;

/**
 * Where a job's objects are in S3, derived from its id alone: whoever must find or remove them (the downloads, a
 * deletion, a retention sweep) needs no view that may not be written yet. The buckets are each service's setting.
 */
public final class JobObjects {

    private JobObjects() {
    }

    /** The key of a job's uploaded file in the upload bucket (never the filename). */
    public static String uploadKey(String jobId) {
        return "uploads/" + jobId;
    }

    /** The key of a job's extracted text, gzip-compressed, in the text bucket. */
    public static String textKey(String jobId) {
        return "text/" + jobId + ".txt.gz";
    }
}
