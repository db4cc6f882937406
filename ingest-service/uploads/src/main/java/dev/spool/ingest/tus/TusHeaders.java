package dev.spool.ingest.tus;

import java.util.List;

/** The header fields and values of tus 1.0.0 as Spool serves it, plus Spool's own completion headers. */
public final class TusHeaders {

    /** The protocol version every request and response carries. */
    public static final String VERSION = "1.0.0";
    /** Extensions served, as listed in {@code Tus-Extension}. */
    public static final String EXTENSIONS =
            "creation,creation-with-upload,creation-defer-length,expiration,termination,checksum";
    /** Media type of a PATCH body. */
    public static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";

    public static final String TUS_RESUMABLE = "Tus-Resumable";
    public static final String TUS_VERSION = "Tus-Version";
    public static final String TUS_EXTENSION = "Tus-Extension";
    public static final String TUS_MAX_SIZE = "Tus-Max-Size";
    public static final String TUS_CHECKSUM_ALGORITHM = "Tus-Checksum-Algorithm";
    public static final String UPLOAD_OFFSET = "Upload-Offset";
    public static final String UPLOAD_LENGTH = "Upload-Length";
    public static final String UPLOAD_DEFER_LENGTH = "Upload-Defer-Length";
    public static final String UPLOAD_METADATA = "Upload-Metadata";
    public static final String UPLOAD_EXPIRES = "Upload-Expires";
    public static final String UPLOAD_CHECKSUM = "Upload-Checksum";
    public static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

    /** The job a completed upload became: its id, and where to read its status and follow its events. */
    public static final String JOB_ID = "Spool-Job-Id";
    public static final String JOB_STATUS_URL = "Spool-Status-Url";
    public static final String JOB_EVENTS_URL = "Spool-Events-Url";

    /** Request headers a browser client sends, to be allowed by CORS. */
    public static final List<String> REQUEST_HEADERS = List.of(TUS_RESUMABLE, UPLOAD_LENGTH, UPLOAD_DEFER_LENGTH,
            UPLOAD_METADATA, UPLOAD_OFFSET, UPLOAD_CHECKSUM, METHOD_OVERRIDE);
    /** Response headers a browser client must be able to read, to be exposed by CORS. */
    public static final List<String> RESPONSE_HEADERS = List.of(TUS_RESUMABLE, TUS_VERSION, TUS_EXTENSION,
            TUS_MAX_SIZE, TUS_CHECKSUM_ALGORITHM, UPLOAD_OFFSET, UPLOAD_LENGTH, UPLOAD_DEFER_LENGTH, UPLOAD_METADATA,
            UPLOAD_EXPIRES, JOB_ID, JOB_STATUS_URL, JOB_EVENTS_URL);

    private TusHeaders() {
    }
}
