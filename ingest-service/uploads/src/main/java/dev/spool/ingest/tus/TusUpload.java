package dev.spool.ingest.tus;

import dev.spool.ingest.config.StorageProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one resumable upload, as kept in MongoDB so that any instance can continue it. The bytes received
 * live in S3: whole parts in the upload's multipart upload, and the tail after the last whole part (shorter than a
 * part, so memory stays bounded) in a staging object. {@code offset} is always the parts' bytes plus the staged
 * bytes. The file's running SHA-256 is not kept here: it lives on the instance that served the last request
 * ({@link LiveDigests}).
 *
 * @param id the upload's id, which becomes its job's id
 * @param ownerId the creator's {@code sub}; nobody else may touch the upload
 * @param length the announced length, or {@code null} while deferred
 * @param offset bytes received and kept
 * @param partSize the size every part but the last is cut at
 * @param s3UploadId the S3 multipart upload, or {@code null} before the first part
 * @param parts the parts stored, in order
 * @param stagedBytes the bytes in the staging object
 * @param metadata the {@code Upload-Metadata} as received
 * @param filename the normalised filename
 * @param declaredType the type the client declared, or {@code null}
 * @param contentType the type judged from the first bytes, or {@code null} before enough bytes arrived
 * @param priority the wire name of the job's tier
 * @param status where the upload stands
 * @param sha256 hex SHA-256 of the whole file once assembled, else {@code null}
 * @param createdAt when the upload was created
 * @param expiresAt when an unfinished upload is discarded, or a finished one forgotten
 * @param assembledAt when the file was assembled, from which on its job may have been published (the instance that
 *     published it may have died before recording so); {@code null} before
 */
public record TusUpload(String id, String ownerId, Long length, long offset, long partSize, String s3UploadId,
        List<Part> parts, long stagedBytes, String metadata, String filename, String declaredType,
        String contentType, String priority, Status status, String sha256, Instant createdAt, Instant expiresAt,
        Instant assembledAt) {

    public TusUpload {
        parts = List.copyOf(parts);
    }

    /** Where an upload stands. */
    public enum Status {
        /** Bytes are still coming. */
        UPLOADING,
        /**
         * Every byte is stored and the object assembled, but its job's acceptance is not recorded here: not yet
         * published, or published by an instance that died before recording it ({@code assembledAt} tells since
         * when Kafka may hold it).
         */
        ASSEMBLED,
        /** The job exists. */
        COMPLETED
    }

    /**
     * One stored part.
     *
     * @param number the S3 part number, from 1
     * @param etag the part's ETag
     * @param size its bytes
     */
    public record Part(int number, String etag, long size) {
    }

    /** The object the file is assembled into; also the job's object. */
    public String objectKey() {
        return StorageProperties.uploadKey(id);
    }

    /** The staging object holding the bytes after the last whole part. */
    public String stagingKey() {
        return "tus-staging/" + id;
    }

    /** Bytes in stored parts. */
    public long partBytes() {
        return parts.stream().mapToLong(Part::size).sum();
    }

    /** Whether every announced byte is here. */
    public boolean isFullyReceived() {
        return length != null && offset == length;
    }

    /**
     * The earliest time its job may have been published: its assembly, or its creation for a record that does not say
     * when it was assembled.
     */
    public Instant publishableSince() {
        return assembledAt != null ? assembledAt : createdAt;
    }

    /** Whether the upload should be gone by {@code now}. */
    public boolean isExpired(Instant now) {
        return !expiresAt.isAfter(now);
    }

    TusUpload withLength(long newLength) {
        return new TusUpload(id, ownerId, newLength, offset, partSize, s3UploadId, parts, stagedBytes,
                metadata, filename, declaredType, contentType, priority, status, sha256, createdAt, expiresAt, assembledAt);
    }

    TusUpload withContentType(String type) {
        return new TusUpload(id, ownerId, length, offset, partSize, s3UploadId, parts, stagedBytes,
                metadata, filename, declaredType, type, priority, status, sha256, createdAt, expiresAt, assembledAt);
    }

    TusUpload withS3UploadId(String uploadId) {
        return new TusUpload(id, ownerId, length, offset, partSize, uploadId, parts, stagedBytes,
                metadata, filename, declaredType, contentType, priority, status, sha256, createdAt, expiresAt, assembledAt);
    }

    /** One more part stored; the staged bytes are now in it or ahead of it, so nothing is staged. */
    TusUpload withPart(Part part) {
        List<Part> more = new ArrayList<>(parts);
        more.add(part);
        long partBytes = partBytes() + part.size();
        return new TusUpload(id, ownerId, length, partBytes, partSize, s3UploadId, more, 0,
                metadata, filename, declaredType, contentType, priority, status, sha256, createdAt, expiresAt, assembledAt);
    }

    TusUpload withStaged(long bytes) {
        return new TusUpload(id, ownerId, length, partBytes() + bytes, partSize, s3UploadId, parts, bytes,
                metadata, filename, declaredType, contentType, priority, status, sha256, createdAt,
                expiresAt, assembledAt);
    }

    TusUpload assembled(String fileSha256, Instant at) {
        return new TusUpload(id, ownerId, length, offset, partSize, s3UploadId, parts, 0, metadata,
                filename, declaredType, contentType, priority, Status.ASSEMBLED, fileSha256, createdAt, expiresAt, at);
    }

    TusUpload completed() {
        return new TusUpload(id, ownerId, length, offset, partSize, s3UploadId, parts, 0, metadata,
                filename, declaredType, contentType, priority, Status.COMPLETED, sha256, createdAt, expiresAt, assembledAt);
    }

    TusUpload expiringAt(Instant at) {
        return new TusUpload(id, ownerId, length, offset, partSize, s3UploadId, parts, stagedBytes,
                metadata, filename, declaredType, contentType, priority, status, sha256, createdAt, at, assembledAt);
    }
}
