package dev.spool.ingest.storage;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How uploads go into S3 ({@code spool.ingest.*}).
 *
 * @param partSize size of each S3 multipart part; also the most upload bytes held in memory at once per part in
 *     flight (S3 requires at least 5 MiB for every part but the last)
 * @param discardTimeout how long ingest keeps trying, in the background, to remove what an upload that became no
 *     job left in S3 (its multipart upload or object) when the first removal failed; then it is logged for a sweep
 */
@Validated
@ConfigurationProperties("spool.ingest")
public record UploadStorageProperties(
        @NotNull @DefaultValue("8MB") DataSize partSize,
        @NotNull @DefaultValue("10m") Duration discardTimeout) {

    private static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    private static final long MAX_PART_BYTES = 512L * 1024 * 1024;

    /** S3 rejects parts below 5 MiB except the last; parts are held in memory, so keep them sensible. */
    @AssertTrue(message = "spool.ingest.part-size must be between 5MB and 512MB")
    public boolean isPartSizeInRange() {
        return partSize == null || partSize.toBytes() >= MIN_PART_BYTES && partSize.toBytes() <= MAX_PART_BYTES;
    }
}
