package dev.spool.ingest.servicelevel;

import org.springframework.http.HttpMethod;

/**
 * The requests that start an upload or send its bytes, which the service level and the rate limits apply to:
 * {@code POST /api/v1/uploads} and the tus creation {@code POST} start one, a tus {@code PATCH} continues one.
 * Nothing else (reads, feeds, a tus {@code HEAD}, termination, administration) is an upload request.
 */
public enum UploadRequest {
    /** A new upload: multipart, or a tus creation. */
    NEW,
    /** More bytes of a resumable upload that already exists. */
    APPEND;

    private static final String UPLOADS = "/api/v1/uploads";
    private static final String TUS = "/api/v1/tus";

    /**
     * The kind of a request to {@code path} (within the application, after {@code X-HTTP-Method-Override}).
     *
     * @return the kind, or {@code null} for a request that is no upload
     */
    public static UploadRequest of(HttpMethod method, String path) {
        if (UPLOADS.equals(path)) {
            return HttpMethod.POST.equals(method) ? NEW : null;
        }
        if (path.equals(TUS) || path.equals(TUS + "/")) {
            return HttpMethod.POST.equals(method) ? NEW : null;
        }
        if (path.startsWith(TUS + "/")) {
            return HttpMethod.PATCH.equals(method) ? APPEND : null;
        }
        return null;
    }
}
