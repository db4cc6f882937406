package dev.spool.ingest.web;

import java.util.List;

/**
 * The answer to an accepted upload: one entry per file, in the order of the parts.
 *
 * @param jobs the accepted jobs
 */
public record UploadResponse(List<Job> jobs) {

    /**
     * One accepted file.
     *
     * @param jobId the job's id
     * @param filename the normalised filename
     * @param statusUrl where to read the job's status
     * @param eventsUrl where to follow the job live
     */
    public record Job(String jobId, String filename, String statusUrl, String eventsUrl) {
    }
}
