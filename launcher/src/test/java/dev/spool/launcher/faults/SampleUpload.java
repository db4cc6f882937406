package dev.spool.launcher.faults;

/**
 * A document the load generator uploads.
 *
 * @param filename the part's filename
 * @param contentType the part's declared type
 * @param content the bytes
 */
public record SampleUpload(String filename, String contentType, byte[] content) {
}
