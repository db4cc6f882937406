package dev.spool.ingest.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the upload and status endpoints.
 *
 * @param partSize size of each S3 multipart part; also the most upload bytes held in memory at once per part in
 *     flight (S3 requires at least 5 MiB for every part but the last)
 * @param publicBaseUrl prefix of the status and events URLs in responses, e.g. {@code https://spool.example.com};
 *     empty gives root-relative URLs
 * @param publishTimeout how long an upload waits for Kafka to acknowledge its job before answering 503
 * @param storeTimeout how long a status read waits for Redis, and then for MongoDB, before giving up on it
 * @param transactionIdPrefix prefix of the Kafka transactional ids; each process appends its own instance id
 * @param maxFileSize largest file accepted; checked while the file streams in, so an oversize file is refused after
 *     at most this many bytes
 * @param maxRequestSize largest total of all files in one request
 * @param maxFiles most files in one request
 * @param maxConcurrentUploads uploads this instance streams at once; one more is refused with 503 before its body is
 *     read
 * @param idempotencyTtl how long an {@code Idempotency-Key} and its answer are remembered
 * @param idempotencyLockTtl the lease of an {@code Idempotency-Key}'s claim: a running request renews it every third
 *     of it, so a retry with the same key works again at most this long after its request is gone (a crashed
 *     instance, a claim whose answer Redis lost)
 * @param discardTimeout how long ingest keeps trying, in the background, to remove what an upload that became no
 *     job left in S3 (its multipart upload or object) when the first removal failed; then it is logged for a sweep
 */
@Validated
@ConfigurationProperties("spool.ingest")
public record IngestProperties(
        @NotNull @DefaultValue("8MB") DataSize partSize,
        @NotNull @DefaultValue("") String publicBaseUrl,
        @NotNull @DefaultValue("15s") Duration publishTimeout,
        @NotNull @DefaultValue("2s") Duration storeTimeout,
        @NotBlank @DefaultValue("spool-ingest-") String transactionIdPrefix,
        @NotNull @DefaultValue("100MB") DataSize maxFileSize,
        @NotNull @DefaultValue("1GB") DataSize maxRequestSize,
        @Positive @DefaultValue("10") int maxFiles,
        @Positive @DefaultValue("64") int maxConcurrentUploads,
        @NotNull @DefaultValue("24h") Duration idempotencyTtl,
        @NotNull @DefaultValue("30s") Duration idempotencyLockTtl,
        @NotNull @DefaultValue("10m") Duration discardTimeout) {

    private static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    private static final long MAX_PART_BYTES = 512L * 1024 * 1024;

    /** S3 rejects parts below 5 MiB except the last; parts are held in memory, so keep them sensible. */
    @AssertTrue(message = "spool.ingest.part-size must be between 5MB and 512MB")
    public boolean isPartSizeInRange() {
        return partSize == null || partSize.toBytes() >= MIN_PART_BYTES && partSize.toBytes() <= MAX_PART_BYTES;
    }

    /** Status URL of a job as clients should call it. */
    public String statusUrl(String jobId) {
        return base() + "/api/v1/jobs/" + jobId;
    }

    /** Live event feed URL of a job. */
    public String eventsUrl(String jobId) {
        return statusUrl(jobId) + "/events";
    }

    /** Download URL of a completed job's extracted text. */
    public String textUrl(String jobId) {
        return statusUrl(jobId) + "/text";
    }

    private String base() {
        return publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    }
}
