package dev.spool.ingest.upload;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How much one request and one instance take ({@code spool.ingest.*}).
 *
 * @param maxFileSize largest file accepted; checked while the file streams in, so an oversize file is refused after
 *     at most this many bytes
 * @param maxRequestSize largest total of all files in one request
 * @param maxFiles most files in one request
 * @param maxConcurrentUploads uploads this instance streams at once; one more is refused with 503 before its body is
 *     read
 */
@Validated
@ConfigurationProperties("spool.ingest")
public record UploadLimitProperties(
        @NotNull @DefaultValue("100MB") DataSize maxFileSize,
        @NotNull @DefaultValue("1GB") DataSize maxRequestSize,
        @Positive @DefaultValue("10") int maxFiles,
        @Positive @DefaultValue("64") int maxConcurrentUploads) {
}
