package dev.spool.ingest.upload;

import dev.spool.ingest.problem.ProblemCode;
import java.util.List;
import java.util.Map;

/**
 * What an upload request achieved, file by file: the jobs it created and the files it refused. Also what an
 * {@code Idempotency-Key} remembers, so a repeated request gets exactly the first answer.
 *
 * @param accepted the files that became jobs, in request order
 * @param rejected the files that were refused, in request order
 */
public record UploadResult(List<Accepted> accepted, List<Rejected> rejected) {

    public UploadResult {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
    }

    /**
     * A file that became a job.
     *
     * @param index position of the file among the request's files, from 0
     * @param jobId the job's id
     * @param filename the normalised filename
     * @param contentType the recorded media type
     * @param size bytes
     * @param sha256 hex SHA-256 of the content
     */
    public record Accepted(int index, String jobId, String filename, String contentType, long size, String sha256) {
    }

    /**
     * A file that was refused; nothing of it was kept.
     *
     * @param index position of the file among the request's files, from 0
     * @param filename the normalised filename
     * @param code why
     * @param detail what to do about it
     * @param properties further facts, such as the detected type
     */
    public record Rejected(int index, String filename, ProblemCode code, String detail, Map<String, Object> properties) {

        public Rejected {
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }
    }
}
