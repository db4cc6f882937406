package dev.spool.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The references: the same file sent straight to the same S3 with the AWS SDK's synchronous client, as a multipart
 * upload of 8 MiB parts (the part size ingest uses), each part read from the file: one after another
 * ({@link #upload}), or several at once ({@link #uploadParallel}), as the SDK's transfer manager does.
 */
final class DirectS3Upload implements AutoCloseable {

    static final String BUCKET = "spool-uploads";

    private static final int PART_SIZE = 8 * 1024 * 1024;

    private final S3Client s3;

    DirectS3Upload(String endpoint, String accessKey, String secretKey) {
        this.s3 = client(endpoint, accessKey, secretKey, 1);
    }

    /** A synchronous S3 client for the launcher's S3Proxy that keeps up to {@code connections} connections open. */
    static S3Client client(String endpoint, String accessKey, String secretKey, int connections) {
        return S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(Math.max(connections, 50)))
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                // As ingest: the default aws-chunked bodies with a trailing CRC are not understood by S3Proxy.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** Uploads {@code file} under {@code bench/<uuid>} and returns the key. */
    String upload(Path file) throws IOException {
        String key = "bench/" + UUID.randomUUID();
        String uploadId = s3.createMultipartUpload(request -> request.bucket(BUCKET).key(key).contentType("application/pdf"))
                .uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate(PART_SIZE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int partNumber = 1;
            while (fill(channel, buffer)) {
                int number = partNumber++;
                UploadPartResponse response = s3.uploadPart(request -> request
                                .bucket(BUCKET).key(key).uploadId(uploadId).partNumber(number)
                                .contentLength((long) buffer.remaining()),
                        RequestBody.fromByteBuffer(buffer));
                parts.add(CompletedPart.builder().partNumber(number).eTag(response.eTag()).build());
            }
            s3.completeMultipartUpload(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts)));
        } catch (IOException | RuntimeException e) {
            s3.abortMultipartUpload(request -> request.bucket(BUCKET).key(key).uploadId(uploadId));
            throw e;
        }
        return key;
    }

    /** Uploads {@code file} under {@code bench/<uuid>} with {@code inFlight} parts on their way at once; the key. */
    String uploadParallel(Path file, int inFlight) throws IOException {
        String key = "bench/" + UUID.randomUUID();
        String uploadId = s3.createMultipartUpload(request -> request.bucket(BUCKET).key(key).contentType("application/pdf"))
                .uploadId();
        long size = Files.size(file);
        int partCount = (int) Math.max(1, (size + PART_SIZE - 1) / PART_SIZE);
        ExecutorService senders = Executors.newFixedThreadPool(inFlight);
        ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocate(PART_SIZE));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            List<Future<CompletedPart>> sent = new ArrayList<>();
            for (int index = 0; index < partCount; index++) {
                int number = index + 1;
                long offset = (long) index * PART_SIZE;
                sent.add(senders.submit(() -> {
                    ByteBuffer buffer = buffers.get();
                    read(channel, buffer, offset);
                    UploadPartResponse response = s3.uploadPart(request -> request
                                    .bucket(BUCKET).key(key).uploadId(uploadId).partNumber(number)
                                    .contentLength((long) buffer.remaining()),
                            RequestBody.fromByteBuffer(buffer));
                    return CompletedPart.builder().partNumber(number).eTag(response.eTag()).build();
                }));
            }
            List<CompletedPart> parts = new ArrayList<>();
            for (Future<CompletedPart> part : sent) {
                parts.add(part.get());
            }
            s3.completeMultipartUpload(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts)));
        } catch (IOException | RuntimeException e) {
            s3.abortMultipartUpload(request -> request.bucket(BUCKET).key(key).uploadId(uploadId));
            throw e;
        } catch (InterruptedException | ExecutionException e) {
            s3.abortMultipartUpload(request -> request.bucket(BUCKET).key(key).uploadId(uploadId));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("a part of " + file + " was not uploaded", e);
        } finally {
            senders.shutdownNow();
        }
        return key;
    }

    /** Reads the part at {@code offset} into {@code buffer}, flipped for reading. */
    private static void read(FileChannel channel, ByteBuffer buffer, long offset) throws IOException {
        buffer.clear();
        long position = offset;
        int read = 0;
        while (buffer.hasRemaining() && read >= 0) {
            read = channel.read(buffer, position);
            position += Math.max(read, 0);
        }
        buffer.flip();
    }

    /** Reads the next part into {@code buffer}, flipped for reading; false at the end of the file. */
    private static boolean fill(FileChannel channel, ByteBuffer buffer) throws IOException {
        buffer.clear();
        int read = 0;
        while (buffer.hasRemaining() && read >= 0) {
            read = channel.read(buffer);
        }
        buffer.flip();
        return buffer.hasRemaining();
    }

    void delete(String key) {
        s3.deleteObject(request -> request.bucket(BUCKET).key(key));
    }

    long size(String key) {
        return s3.headObject(request -> request.bucket(BUCKET).key(key)).contentLength();
    }

    /** The first offset at which the object {@code key} and {@code file} differ, or -1 when they are equal. */
    long firstDifference(String key, Path file) throws IOException {
        try (InputStream stored = new BufferedInputStream(s3.getObject(request -> request.bucket(BUCKET).key(key)), 1 << 20);
                InputStream expected = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            long offset = 0;
            while (true) {
                int a = stored.read();
                int b = expected.read();
                if (a != b) {
                    return offset;
                }
                if (a < 0) {
                    return -1;
                }
                offset++;
            }
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
