package dev.spool.ingest.storage;

/**
 * An upload that S3 has completely stored and that was checked after storing.
 *
 * @param bucket bucket
 * @param key object key
 * @param size stored bytes
 * @param sha256 hex SHA-256 of the bytes, computed while streaming
 * @param contentType media type detected from the first bytes
 * @param content the stored bytes themselves when the file was small enough to keep for its work record, else
 *     {@code null}
 */
public record StoredObject(String bucket, String key, long size, String sha256, String contentType, byte[] content) {
}
