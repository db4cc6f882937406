package dev.spool.ingest.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where clients read jobs, and how long a read waits ({@code spool.ingest.*}).
 *
 * @param publicBaseUrl prefix of the status and events URLs in responses, e.g. {@code https://spool.example.com};
 *     empty gives root-relative URLs
 * @param storeTimeout how long a status read waits for Redis, and then for MongoDB, before giving up on it; also
 *     the wait for Redis of an {@code Idempotency-Key}
 */
@Validated
@ConfigurationProperties("spool.ingest")
public record StatusProperties(
        @NotNull @DefaultValue("") String publicBaseUrl,
        @NotNull @DefaultValue("2s") Duration storeTimeout) {

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
