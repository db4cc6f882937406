package dev.spool.ingest.problem;

import java.time.Duration;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * Every problem a caller can meet, with its HTTP status, its title, a default detail that says what to do next,
 * and how long to wait before retrying where waiting helps. The lower-case name is the stable {@code code} that
 * clients branch on.
 */
public enum ProblemCode {
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "Authentication required",
            "Send a valid bearer token in the Authorization header; sign in again if it has expired."),
    FORBIDDEN(HttpStatus.FORBIDDEN, "Access denied",
            "Your account may not do this; ask an administrator if you need access."),
    NOT_OWNER(HttpStatus.FORBIDDEN, "Not your job",
            "Only the user who uploaded a job can read it; check the job id."),
    PRIORITY_NOT_ALLOWED(HttpStatus.FORBIDDEN, "Priority not allowed",
            "Ask for your own tier or a lower one, or leave priority out to use your tier."),
    INVALID_PRIORITY(HttpStatus.BAD_REQUEST, "Unknown priority",
            "Use one of high, normal or low, or leave priority out."),
    FILE_MISSING(HttpStatus.BAD_REQUEST, "No file",
            "Send the file as a multipart/form-data part named 'file'."),
    EMPTY_FILE(HttpStatus.BAD_REQUEST, "Empty file",
            "The file has no content; choose a file that is not empty and upload it again."),
    MALFORMED_MULTIPART(HttpStatus.BAD_REQUEST, "Malformed multipart body",
            "The multipart/form-data body could not be read; let your HTTP client build it and send it again."),
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "Malformed request",
            "Check the request's parameters and body against the API description and send it again."),
    JOB_NOT_FOUND(HttpStatus.NOT_FOUND, "Job not found",
            "No job has this id; check the id returned by your upload."),
    TEXT_NOT_FOUND(HttpStatus.NOT_FOUND, "Text not found",
            "The job completed but its text is no longer stored; upload the file again to extract it anew."),
    ORIGINAL_NOT_FOUND(HttpStatus.NOT_FOUND, "Original not found",
            "The job's uploaded file is no longer stored; upload the file again if you need it."),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found",
            "Nothing is served at this path; check the URL against the API description."),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
            "This path does not support that method; use one listed in the Allow header."),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable",
            "This endpoint cannot answer in the requested media type; relax the Accept header."),
    NOT_READY(HttpStatus.CONFLICT, "Not ready",
            "The job has not completed yet; follow its status or events and fetch the text once it has completed."),
    JOB_FAILED(HttpStatus.CONFLICT, "Job failed",
            "The job failed, so it has no text; read the job's status for the reason."),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Too large",
            "A part of the request is larger than allowed; send a smaller one."),
    FILE_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "File too large",
            "The file is larger than allowed; split or compress it, or use a resumable upload if your limit allows."),
    REQUEST_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Request too large",
            "The files together are larger than one request may carry; send them in several requests."),
    TOO_MANY_FILES(HttpStatus.CONTENT_TOO_LARGE, "Too many files",
            "The request carries more files than allowed; send them in several requests."),
    TYPE_MISMATCH(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Type mismatch",
            "The file's content does not match its declared type or extension; rename the file or fix its type."),
    UNSUPPORTED_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported file type",
            "Spool accepts PDF, office documents (OOXML, ODF), common images and plain text, CSV, JSON, Markdown "
                    + "and HTML; convert the file to one of these."),
    INVALID_CURSOR(HttpStatus.BAD_REQUEST, "Invalid cursor",
            "The cursor was not made by this API; use the next cursor of the previous page, or leave it out to start over."),
    INVALID_IDEMPOTENCY_KEY(HttpStatus.BAD_REQUEST, "Invalid Idempotency-Key",
            "Send an Idempotency-Key of 1 to 255 visible ASCII characters, such as a UUID."),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused",
            "This Idempotency-Key was used for a different request; use a new key for a new request."),
    IDEMPOTENCY_KEY_IN_USE(HttpStatus.CONFLICT, "Request in progress",
            "A request with this Idempotency-Key is still being processed; repeat it after the Retry-After delay.",
            Duration.ofSeconds(5)),
    IDEMPOTENCY_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Idempotency store unavailable",
            "Requests with an Idempotency-Key cannot be checked right now; repeat it after the Retry-After delay.",
            Duration.ofSeconds(10)),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
            "You have sent too many requests; wait for the Retry-After delay, then send it again.",
            Duration.ofSeconds(1)),
    TOO_BUSY(HttpStatus.SERVICE_UNAVAILABLE, "Too busy",
            "This server is handling as many uploads as it can; send the upload again after the Retry-After delay.",
            Duration.ofSeconds(5)),
    RATE_LIMIT_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Rate limiter unavailable",
            "Uploads are paused while the rate limiter cannot be reached; try again after the Retry-After delay.",
            Duration.ofSeconds(10)),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
            "Send the body with a Content-Type this endpoint accepts, such as multipart/form-data for uploads."),
    PUBLISH_FAILED(HttpStatus.SERVICE_UNAVAILABLE, "Upload not queued",
            "The upload was not kept because it could not be queued; upload it again after the Retry-After delay.",
            Duration.ofSeconds(10)),
    STORAGE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Storage unavailable",
            "File storage is not answering; try again after the Retry-After delay.", Duration.ofSeconds(10)),
    STATUS_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Status unavailable",
            "Job status cannot be read right now; try again after the Retry-After delay.", Duration.ofSeconds(5)),
    UPLOAD_INCOMPLETE(HttpStatus.INTERNAL_SERVER_ERROR, "Upload incomplete",
            "Not every byte of the upload reached storage, so nothing was kept; upload it again."),
    TUS_VERSION_UNSUPPORTED(HttpStatus.PRECONDITION_FAILED, "Unsupported tus version",
            "Send Tus-Resumable: 1.0.0 with every resumable-upload request; Tus-Version lists the versions served."),
    UPLOAD_NOT_FOUND(HttpStatus.NOT_FOUND, "Upload not found",
            "No resumable upload has this URL; it was finished, terminated or never created. Start a new upload."),
    UPLOAD_EXPIRED(HttpStatus.GONE, "Upload expired",
            "The resumable upload was inactive for too long and its bytes were discarded; start a new upload."),
    UPLOAD_LOCKED(HttpStatus.LOCKED, "Upload busy",
            "Another request is writing to this upload; ask for its offset with HEAD after the Retry-After delay and "
                    + "resume from there.", Duration.ofSeconds(2)),
    OFFSET_MISMATCH(HttpStatus.CONFLICT, "Offset mismatch",
            "The Upload-Offset does not match the bytes received so far; ask for the offset with HEAD and resume from "
                    + "there."),
    CHECKSUM_MISMATCH(HttpStatusCode.valueOf(460), "Checksum mismatch",
            "The bytes received do not match the Upload-Checksum, so none of them were kept; send the chunk again."),
    DIGEST_MISMATCH(HttpStatus.BAD_REQUEST, "Digest mismatch",
            "The file received does not have the digest its request announced, so nothing was kept; upload it again."),
    CHECKSUM_ALGORITHM_UNSUPPORTED(HttpStatus.BAD_REQUEST, "Checksum algorithm not supported",
            "Use one of the algorithms listed in Tus-Checksum-Algorithm, such as sha256."),
    INVALID_UPLOAD_LENGTH(HttpStatus.BAD_REQUEST, "Invalid upload length",
            "Send Upload-Length as the file's size in bytes, or Upload-Defer-Length: 1 and the length with a later "
                    + "PATCH; a length cannot change once set."),
    INVALID_UPLOAD_METADATA(HttpStatus.BAD_REQUEST, "Invalid upload metadata",
            "Send Upload-Metadata as comma-separated pairs of a key and a Base64 value, each key once."),
    UPLOAD_LENGTH_EXCEEDED(HttpStatus.CONTENT_TOO_LARGE, "More bytes than announced",
            "The upload would grow past its Upload-Length; check the file's size and start a new upload."),
    UPLOAD_STATE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Resumable uploads unavailable",
            "The store that keeps resumable uploads is not answering; nothing received was lost. Resume after the "
                    + "Retry-After delay.", Duration.ofSeconds(5)),
    SERVER_RESTARTING(HttpStatus.SERVICE_UNAVAILABLE, "Server restarting",
            "This server is restarting; the bytes received so far are kept. Resume the upload after the Retry-After "
                    + "delay.", Duration.ofSeconds(2)),
    SERVICE_MAINTENANCE(HttpStatus.SERVICE_UNAVAILABLE, "Under maintenance",
            "Spool is under maintenance; uploads are paused. Try again after the Retry-After time; your jobs and their "
                    + "status are unaffected.", Duration.ofMinutes(5)),
    SERVICE_DEGRADED(HttpStatus.SERVICE_UNAVAILABLE, "Reduced service",
            "Spool is running at reduced capacity and is not taking low-priority uploads; try again after the "
                    + "Retry-After time, or leave priority out to upload at your own tier. Your jobs and their status "
                    + "are unaffected.", Duration.ofMinutes(5)),
    INVALID_SERVICE_LEVEL(HttpStatus.BAD_REQUEST, "Invalid service level",
            "Send {\"level\": \"full\", \"degraded\" or \"maintenance\"}, optionally a \"message\" of at most 500 "
                    + "characters and \"retryAfterSeconds\" between 1 and 86400."),
    SERVICE_LEVEL_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Service level not confirmed",
            "Kafka did not confirm the new service level in time, so it may or may not apply; read it with GET and "
                    + "set it again after the Retry-After delay.", Duration.ofSeconds(10)),
    BREAKER_NOT_FOUND(HttpStatus.NOT_FOUND, "Circuit breaker not found",
            "No circuit breaker has this name; list them with GET /api/v1/admin/breakers."),
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
            "Something went wrong on our side; try again later and report the problem if it persists.");

    private static final String TYPE_BASE = "https://spool.dev/problems/";

    private final HttpStatusCode status;
    private final String title;
    private final String defaultDetail;
    private final Duration retryAfter;

    ProblemCode(HttpStatusCode status, String title, String defaultDetail) {
        this(status, title, defaultDetail, null);
    }

    ProblemCode(HttpStatusCode status, String title, String defaultDetail, Duration retryAfter) {
        this.status = status;
        this.title = title;
        this.defaultDetail = defaultDetail;
        this.retryAfter = retryAfter;
    }

    /** The stable machine-readable code, e.g. {@code not_owner}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The RFC 9457 {@code type}: a URI naming the problem. */
    public String type() {
        return TYPE_BASE + code().replace('_', '-');
    }

    public HttpStatusCode status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String defaultDetail() {
        return defaultDetail;
    }

    /** How long a caller should wait before retrying, or {@code null} when waiting does not help. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
