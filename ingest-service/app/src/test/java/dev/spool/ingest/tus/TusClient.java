package dev.spool.ingest.tus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/** Raw tus requests over HTTP/1.1, so that tests see every status and header the protocol defines. */
public final class TusClient {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public TusClient(int port) {
        this.base = "http://localhost:" + port;
    }

    String endpoint() {
        return base + TusController.BASE + "/";
    }

    HttpResponse<String> options() {
        return send(HttpRequest.newBuilder(URI.create(endpoint())).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }

    /** Creates an upload of {@code length} bytes (or a deferred one when {@code null}). */
    public HttpResponse<String> create(String token, Long length, Map<String, String> metadata) {
        HttpRequest.Builder request = tus(URI.create(endpoint()), token)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (length == null) {
            request.header("Upload-Defer-Length", "1");
        } else {
            request.header("Upload-Length", Long.toString(length));
        }
        if (!metadata.isEmpty()) {
            request.header("Upload-Metadata", metadata(metadata));
        }
        return send(request);
    }

    /** Creates an upload and sends all of {@code bytes} with it. */
    HttpResponse<String> createWithUpload(String token, byte[] bytes, Map<String, String> metadata) {
        HttpRequest.Builder request = tus(URI.create(endpoint()), token)
                .header("Upload-Length", Integer.toString(bytes.length))
                .header("Content-Type", TusHeaders.OFFSET_OCTET_STREAM)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (!metadata.isEmpty()) {
            request.header("Upload-Metadata", metadata(metadata));
        }
        return send(request);
    }

    public HttpResponse<String> head(String url, String token) {
        return send(tus(URI.create(url), token).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    public HttpResponse<String> patch(String url, String token, long offset, byte[] bytes) {
        return patch(url, token, offset, bytes, Map.of());
    }

    HttpResponse<String> patch(String url, String token, long offset, byte[] bytes, Map<String, String> headers) {
        return patch(url, token, offset, () -> new java.io.ByteArrayInputStream(bytes), bytes.length, headers);
    }

    /** A PATCH whose body is read from {@code body}, so a test can pace or cut it. */
    HttpResponse<String> patch(String url, String token, long offset, Supplier<InputStream> body, long length,
            Map<String, String> headers) {
        HttpRequest.Builder request = tus(URI.create(url), token)
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", TusHeaders.OFFSET_OCTET_STREAM)
                .method("PATCH", length == 0 ? HttpRequest.BodyPublishers.ofByteArray(new byte[0])
                        : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length));
        headers.forEach(request::header);
        return send(request);
    }

    HttpResponse<String> delete(String url, String token) {
        return send(tus(URI.create(url), token).DELETE());
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpRequest.Builder tus(URI uri, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Tus-Resumable", "1.0.0");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    static String metadata(Map<String, String> values) {
        StringJoiner joined = new StringJoiner(",");
        new LinkedHashMap<>(values).forEach((key, value) -> joined.add(key + " "
                + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        return joined.toString();
    }

    static String checksum(String algorithm, byte[] bytes) {
        try {
            String jca = Map.of("sha256", "SHA-256", "sha1", "SHA-1", "md5", "MD5").get(algorithm);
            return algorithm + " " + Base64.getEncoder().encodeToString(MessageDigest.getInstance(jca).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
