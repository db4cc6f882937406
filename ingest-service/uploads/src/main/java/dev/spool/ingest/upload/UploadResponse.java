package dev.spool.ingest.upload;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The answer to an upload: one entry per accepted file and one per refused file, each with its position among
 * the request's files. A request with at least one accepted file answers 202 with this body.
 *
 * @param jobs the accepted files, each now a job
 * @param rejected the refused files, of which nothing was kept; empty when every file was accepted
 */
public record UploadResponse(List<Job> jobs, List<Rejected> rejected) {

    /**
     * One accepted file.
     *
     * @param index position of the file among the request's files, from 0
     * @param jobId the job's id
     * @param filename the normalised filename
     * @param contentType the media type detected from the content
     * @param size bytes stored
     * @param sha256 hex SHA-256 of the content
     * @param statusUrl where to read the job's status
     * @param eventsUrl where to follow the job live
     */
    public record Job(int index, String jobId, String filename, String contentType, long size, String sha256,
            String statusUrl, String eventsUrl) {
    }

    /**
     * One refused file, described like a problem: its status, stable code, title and what to do.
     *
     * @param index position of the file among the request's files, from 0
     * @param filename the normalised filename
     * @param status the HTTP status the file alone would have received
     * @param code the stable problem code
     * @param title the problem's title
     * @param detail what to do about it
     * @param details further facts, such as the detected type
     */
    public record Rejected(int index, String filename, int status, String code, String title, String detail,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> details) {
    }
}
