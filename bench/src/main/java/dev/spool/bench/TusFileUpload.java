package dev.spool.bench;

import io.tus.java.client.ProtocolException;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.IOException;
import java.net.URL;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * One file sent as a tus resumable upload with the maintained Java client, tus-java-client, unchanged: it creates
 * the upload, then sends PATCH requests (as POST with {@code X-HTTP-Method-Override}, since
 * {@code HttpURLConnection} has no PATCH) of {@link #REQUEST_BYTES} each, streamed from disk in
 * {@link #CHUNK_BYTES} writes.
 */
final class TusFileUpload implements SpoolUpload {

    /** Bytes per PATCH request: a whole number of 8 MiB parts, so no request leaves a tail to stage. */
    static final int REQUEST_BYTES = 128 * 1024 * 1024;
    /** Bytes per write into the request body. */
    static final int CHUNK_BYTES = 1024 * 1024;

    private final URL endpoint;
    private final String token;

    TusFileUpload(String baseUrl, String token) {
        try {
            this.endpoint = URI.create(baseUrl + "/api/v1/tus/").toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(baseUrl, e);
        }
        this.token = token;
    }

    @Override
    public String upload(Path file) throws IOException {
        TusClient client = new TusClient();
        client.setUploadCreationURL(endpoint);
        client.setHeaders(Map.of("Authorization", "Bearer " + token));
        TusUpload upload = new TusUpload(file.toFile());
        upload.setMetadata(Map.of("filename", file.getFileName().toString(), "filetype", "application/pdf"));
        try {
            TusUploader uploader = client.createUpload(upload);
            uploader.setChunkSize(CHUNK_BYTES);
            uploader.setRequestPayloadSize(REQUEST_BYTES);
            while (uploader.uploadChunk() > -1) {
                // Each call sends one chunk; the uploader opens a new PATCH request every REQUEST_BYTES.
            }
            uploader.finish();
            String url = uploader.getUploadURL().toString();
            if (uploader.getOffset() != upload.getSize()) {
                throw new IllegalStateException("tus upload ended at " + uploader.getOffset() + " of " + upload.getSize());
            }
            return IngestUpload.KEY_PREFIX + url.substring(url.lastIndexOf('/') + 1);
        } catch (ProtocolException e) {
            throw new IllegalStateException("tus upload refused: " + e.getMessage(), e);
        }
    }
}
