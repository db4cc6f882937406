package dev.spool.ingest.storage;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
 * @param partsInFlight most parts of one upload on their way to S3 at once: the next part is read from the client
 *     while earlier ones are stored, and the client is held back when this many are
 * @param parallelPartMemory memory for the parts that uploads send beside their first, shared by all uploads of the
 *     instance (a multiple of {@code part-size}): every upload always has one part in flight, a further one only
 *     while this has room, so the parts of all uploads together hold at most this plus one part per upload
 * @param discardTimeout how long ingest keeps trying, in the background, to remove what an upload that became no
 *     job left in S3 (its multipart upload or object) when the first removal failed; then it is logged for a sweep
 */
@Validated
@ConfigurationProperties("spool.ingest")
public record UploadStorageProperties(
        @NotNull @DefaultValue("8MB") DataSize partSize,
        @NotNull @DefaultValue("10m") Duration discardTimeout,
        @DefaultValue("4") @Min(1) @Max(64) int partsInFlight,
        @NotNull @DefaultValue("64MB") DataSize parallelPartMemory) {

    private static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    private static final long MAX_PART_BYTES = 512L * 1024 * 1024;

    /** S3 rejects parts below 5 MiB except the last; parts are held in memory, so keep them sensible. */
    @AssertTrue(message = "spool.ingest.part-size must be between 5MB and 512MB")
    public boolean isPartSizeInRange() {
        return partSize == null || partSize.toBytes() >= MIN_PART_BYTES && partSize.toBytes() <= MAX_PART_BYTES;
    }
}
