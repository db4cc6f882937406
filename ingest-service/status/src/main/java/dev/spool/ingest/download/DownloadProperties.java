package dev.spool.ingest.download;

import dev.spool.ingest.config.StorageProperties;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Downloads of a job's original file and extracted text through presigned S3 URLs ({@code spool.ingest.downloads.*}).
 *
 * @param expiry how long a download URL works after it is handed out; at most 7 days, the longest S3 accepts for a
 *     SigV4 presigned URL
 * @param publicEndpoint the S3 endpoint as the caller's browser reaches it, e.g. {@code http://localhost:9000} when
 *     the services reach MinIO as {@code http://minio:9000}; the URL is signed for this host, so it must be the one
 *     the browser uses. Empty: the storage endpoint ({@code spool.storage.endpoint}), or AWS's when that is empty too
 */
@Validated
@ConfigurationProperties("spool.ingest.downloads")
public record DownloadProperties(
        @NotNull @DefaultValue("15m") Duration expiry,
        @NotNull @DefaultValue("") String publicEndpoint) {

    /** S3 refuses a SigV4 presigned URL that claims to be valid longer than this. */
    public static final Duration MAX_EXPIRY = Duration.ofDays(7);

    @AssertTrue(message = "spool.ingest.downloads.expiry must be between 1s and 7d (604800 s), the longest S3 accepts for "
            + "a presigned URL")
    public boolean isExpiryWithinSigV4Limit() {
        return expiry == null || expiry.compareTo(Duration.ofSeconds(1)) >= 0 && expiry.compareTo(MAX_EXPIRY) <= 0;
    }

    @AssertTrue(message = "spool.ingest.downloads.public-endpoint must be empty or an absolute http(s) URL such as "
            + "http://localhost:9000")
    public boolean isPublicEndpointAUrl() {
        if (publicEndpoint == null || publicEndpoint.isBlank()) {
            return true;
        }
        try {
            URI uri = URI.create(publicEndpoint);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The endpoint download URLs are signed for: the public one, else the storage endpoint (empty for AWS's). */
    public String endpoint(StorageProperties storage) {
        return publicEndpoint.isBlank() ? storage.endpoint() : publicEndpoint;
    }
}
