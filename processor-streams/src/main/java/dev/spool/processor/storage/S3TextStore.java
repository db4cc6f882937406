package dev.spool.processor.storage;

import dev.spool.processor.extraction.TextStore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Writes extracted text gzip-compressed into the text bucket ({@code Content-Encoding: gzip}); a retry overwrites the
 * same key; behind the storage breaker. The compressed copy is a file next to the text, or bytes in memory for a text
 * extracted in memory, so the SDK can re-read it when it retries.
 */
public final class S3TextStore implements TextStore {

    static final String GZIP = "gzip";
    private static final int GZIP_BUFFER = 64 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final StorageBreaker breaker;

    public S3TextStore(S3Client s3, String bucket, StorageBreaker breaker) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public String encoding() {
        return GZIP;
    }

    @Override
    public void put(String key, Path text) throws Exception {
        Path compressed = text.resolveSibling(text.getFileName() + ".gz");
        try {
            try (InputStream in = Files.newInputStream(text);
                    OutputStream out = new GZIPOutputStream(Files.newOutputStream(compressed), GZIP_BUFFER)) {
                in.transferTo(out);
            }
            breaker.run(() -> s3.putObject(request(key), RequestBody.fromFile(compressed)));
        } finally {
            Files.deleteIfExists(compressed);
        }
    }

    @Override
    public void put(String key, byte[] utf8) throws Exception {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(utf8.length / 2 + 64);
        try (OutputStream out = new GZIPOutputStream(compressed)) {
            out.write(utf8);
        }
        breaker.run(() -> s3.putObject(request(key), RequestBody.fromBytes(compressed.toByteArray())));
    }

    @Override
    public void delete(String key) throws Exception {
        breaker.run(() -> s3.deleteObject(request -> request.bucket(bucket).key(key)));
    }

    private PutObjectRequest request(String key) {
        return PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .contentType("text/plain; charset=utf-8")
                .contentEncoding(GZIP)
                .build();
    }
}
