package dev.spool.ingest.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
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
 */
@Validated
@ConfigurationProperties("spool.ingest")
public record IngestProperties(
        @NotNull @DefaultValue("8MB") DataSize partSize,
        @NotNull @DefaultValue("") String publicBaseUrl,
        @NotNull @DefaultValue("15s") Duration publishTimeout,
        @NotNull @DefaultValue("2s") Duration storeTimeout,
        @NotBlank @DefaultValue("spool-ingest-") String transactionIdPrefix) {

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
