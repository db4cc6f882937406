package dev.spool.ingest.download;

import java.net.URI;
import java.time.Instant;

/**
 * A presigned S3 URL that fetches one stored object without credentials, until it expires.
 *
 * @param url the URL, for any HTTP client
 * @param expiresAt when S3 starts refusing it
 */
public record DownloadLink(URI url, Instant expiresAt) {
}
