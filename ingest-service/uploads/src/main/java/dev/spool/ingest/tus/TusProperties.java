package dev.spool.ingest.tus;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of resumable (tus 1.0) uploads at {@code /api/v1/tus/}.
 *
 * @param maxSize largest file a resumable upload may carry, announced as {@code Tus-Max-Size}
 * @param expiration how long an upload lives after its last received byte; then the sweeper discards what it stored
 *     (a finished upload's record is forgotten after the same time, its job stays)
 * @param lockTtl how long a request's hold on an upload lasts without being renewed; after a crashed instance, the
 *     upload can be resumed again after at most this long
 * @param sweepInterval how often each instance looks for expired uploads
 * @param detectionBytes the first bytes the content type is judged on (fewer when the file is shorter); an upload
 *     of a refused type is discarded once they have arrived
 */
@Validated
@ConfigurationProperties("spool.ingest.tus")
public record TusProperties(
        @NotNull @DefaultValue("10GB") DataSize maxSize,
        @NotNull @DefaultValue("24h") Duration expiration,
        @NotNull @DefaultValue("6s") Duration lockTtl,
        @NotNull @DefaultValue("1m") Duration sweepInterval,
        @NotNull @DefaultValue("1MB") DataSize detectionBytes) {

    @AssertTrue(message = "spool.ingest.tus durations and sizes must be positive, with lock-ttl of at least 3s")
    public boolean isPositive() {
        return maxSize == null || expiration == null || lockTtl == null || sweepInterval == null
                || detectionBytes == null
                || maxSize.toBytes() > 0 && !expiration.isNegative() && !expiration.isZero()
                        && lockTtl.toMillis() >= 3000 && !sweepInterval.isNegative() && !sweepInterval.isZero()
                        && detectionBytes.toBytes() > 0;
    }
}
