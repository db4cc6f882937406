package dev.spool.processor.config;

import dev.spool.processor.extraction.ExtractionLimits;
import dev.spool.schemas.event.Priority;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The processor's own settings (prefix {@code spool.processor}); every knob has a default so that the service
 * runs without a properties file, also inside the launcher's shared classpath.
 *
 * @param applicationId prefix of the Kafka Streams application ids: {@code <id>-high}, {@code -normal}, {@code -low}
 *     for the tiers and {@code <id>-retry} for the delay stage (consumer groups and internal topics)
 * @param stateDir Kafka Streams state directory; defaults to {@code ${java.io.tmpdir}/spool-streams}
 * @param instanceId this instance's stable name in the Streams groups (static membership: each stream thread joins
 *     as {@code <instanceId>-<thread>}), so that an instance restarted after a crash takes its tasks back at once
 *     instead of waiting for the broker to time out the dead member; unique per running instance, kept across its
 *     restarts (a pod or host name). Empty: dynamic membership
 * @param workDir where jobs keep their document and text while they run; defaults to
 *     {@code ${java.io.tmpdir}/spool-work}
 * @param capacity what each tier may hold and run at once: each tier's capacity of its own, never lent to another
 * @param inFlight how many jobs a stream task keeps in flight, and how soon finished ones are written
 * @param commitInterval how often Streams commits its transactions; bounds the latency of facts
 * @param extraction what one document may cost to extract
 * @param closeTimeout how long shutdown waits for each Streams application to finish its job in hand and close
 * @param transactionTimeout how long the broker lets a stream thread's transaction stay open before it aborts it;
 *     bounds how long a killed instance's open transaction holds back read-committed readers of the facts when no
 *     restart with the same state folder fences it (another instance took its tasks over); more than the commit
 *     interval, since no stream thread waits for a job with a transaction open
 * @param sessionTimeout how long the group waits for a silent instance (killed, or cut off) before it gives the
 *     instance's tasks to the others; a static member ({@code instanceId}) that restarts within it takes its tasks
 *     back without a rebalance. 6 s, the broker's default minimum, keeps a takeover under 10 s; an instance whose
 *     heartbeats stop for that long (a pause of its whole JVM) is dropped and rejoins
 * @param standbyReplicas copies of each task's state (its in-flight jobs) that other instances keep current, so that
 *     one of them takes a killed instance's tasks over without first reading their changelogs; none is kept while
 *     an instance runs alone
 * @param retry when failed attempts are tried again
 * @param storageBreaker the circuit breaker around S3
 * @param storageConnectTimeout longest wait for a connection to S3
 * @param storageReadTimeout longest S3 may stay silent during a call before it counts as a failure (a stall)
 * @param analytics the per-window statistics on {@code spool.analytics.job-stats}
 */
@Validated
@ConfigurationProperties(prefix = "spool.processor")
public record ProcessorProperties(
        @DefaultValue("spool-processor") @NotBlank String applicationId,
        String stateDir,
        String instanceId,
        String workDir,
        @Valid @NotNull @DefaultValue Capacities capacity,
        @Valid @NotNull @DefaultValue InFlight inFlight,
        @DefaultValue("100ms") @NotNull Duration commitInterval,
        @Valid @NotNull @DefaultValue Extraction extraction,
        @DefaultValue("30s") @NotNull Duration closeTimeout,
        @DefaultValue("10s") @NotNull Duration transactionTimeout,
        @DefaultValue("6s") @NotNull Duration sessionTimeout,
        @DefaultValue("1") @Min(0) int standbyReplicas,
        @Valid @NotNull @DefaultValue Retry retry,
        @Valid @NotNull @DefaultValue StorageBreaker storageBreaker,
        @DefaultValue("5s") @NotNull Duration storageConnectTimeout,
        @DefaultValue("30s") @NotNull Duration storageReadTimeout,
        @Valid @NotNull @DefaultValue Analytics analytics) {

    public ProcessorProperties {
        if (transactionTimeout != null && commitInterval != null && transactionTimeout.compareTo(commitInterval) <= 0) {
            throw new IllegalArgumentException("spool.processor.transaction-timeout (" + transactionTimeout
                    + ") must be longer than spool.processor.commit-interval (" + commitInterval + ")");
        }
        // A placeholder in @DefaultValue is not resolved, so the temp-dir defaults are computed here.
        if (stateDir == null || stateDir.isBlank()) {
            stateDir = Path.of(System.getProperty("java.io.tmpdir"), "spool-streams").toString();
        }
        if (workDir == null || workDir.isBlank()) {
            workDir = Path.of(System.getProperty("java.io.tmpdir"), "spool-work").toString();
        }
    }

    /**
     * Bounds on extracting one document. Plain text up to {@code inProcessTextMax} is extracted in the processor (it
     * cannot expand, and its size bounds time and memory); everything else runs in a worker process of its own, kept
     * warm.
     *
     * @param maxCharacters most characters of text kept; a longer text completes with its first ones, marked truncated
     * @param maxPages most pages read; a longer document completes with the text of its first ones, marked truncated
     * @param maxExpandedBytes most bytes a zip-based document (OOXML, ODF) may declare once inflated
     * @param maxCompressionRatio largest inflated-to-compressed ratio of an entry of a zip-based document
     * @param timeout longest one extraction may run before its worker is killed and the job fails {@code timeout}
     * @param workerHeap heap of a worker process; a document that needs more fails {@code too_large_to_extract}
     * @param inProcessTextMax largest plain-text document extracted inside the processor rather than by a worker;
     *     {@code 0} sends every document to a worker
     * @param image what is kept of an image's metadata
     */
    public record Extraction(
            @DefaultValue("10000000") @Min(1) int maxCharacters,
            @DefaultValue("10000") @Min(1) int maxPages,
            @DefaultValue("1GB") @NotNull DataSize maxExpandedBytes,
            @DefaultValue("100") @Min(1) int maxCompressionRatio,
            @DefaultValue("60s") @NotNull Duration timeout,
            @DefaultValue("512m") @NotBlank String workerHeap,
            @DefaultValue("1MB") @NotNull DataSize inProcessTextMax,
            @Valid @NotNull @DefaultValue Image image) {

        /** The same as the extractor's limits. */
        public ExtractionLimits limits() {
            return new ExtractionLimits(maxCharacters, maxPages, maxExpandedBytes.toBytes(), maxCompressionRatio, timeout,
                    workerHeap);
        }
    }

    /**
     * What is kept of an image's EXIF, XMP and IPTC metadata.
     *
     * @param keepGps whether a result keeps where the picture was taken (its GPS position, and Tika's {@code geo:}
     *     metadata). The position is personal data; it is kept by default because the owner uploaded it with the
     *     file, sees it only in their own jobs, and can download the original with it anyway. Set it to
     *     {@code false} where job facts travel further (analytics on {@code spool.job-events}) than the owner's view
     */
    public record Image(@DefaultValue("true") boolean keepGps) {
    }

    /**
     * The capacity of each tier.
     *
     * @param high of {@code spool.jobs.high}
     * @param normal of {@code spool.jobs.normal}
     * @param low of {@code spool.jobs.low}
     * @param sharedWorkers extraction worker processes any tier may use once its own {@code workers} are busy, kept
     *     warm: the documents queued behind a slow one (a catalogue of thousands of pages) go on there rather than
     *     wait for it, and the most urgent tier waiting gets one first. A tier's own workers are never another's
     */
    public record Capacities(
            @Valid @NotNull @DefaultValue Capacity high,
            @Valid @NotNull @DefaultValue Capacity normal,
            @Valid @NotNull @DefaultValue Capacity low,
            @DefaultValue("1") @Min(0) int sharedWorkers) {

        /** The capacity of {@code tier}. */
        public Capacity of(Priority tier) {
            return switch (tier) {
                case HIGH -> high;
                case NORMAL -> normal;
                case LOW -> low;
            };
        }
    }

    /**
     * What one tier may hold and run at once on this instance.
     *
     * @param threads stream threads: they read the tier's topic, hand jobs to the job pool and write how they ended
     * @param jobs jobs running at once (the tier's job pool); each waits mostly on S3 or on an extraction
     * @param workers extraction worker processes of the tier's own, kept warm; the tier's documents never wait for
     *     another tier's, and take a shared one only when these are busy
     */
    public record Capacity(
            @DefaultValue("1") @Min(1) int threads,
            @DefaultValue("32") @Min(1) int jobs,
            @DefaultValue("1") @Min(1) int workers) {
    }

    /**
     * The jobs a stream task has read but whose outcome is not yet written. Each is kept in the task's changelogged
     * store from the transaction that commits its input offset to the one that writes its outcome, so a crash in
     * between runs it again on whichever instance takes the task over.
     *
     * @param perTask most jobs in flight per stream task (one task per partition); a full task stops reading
     *     (backpressure) until one finishes
     * @param drainInterval how often a stream thread with nothing to read writes the outcomes of finished jobs; also
     *     its poll time, which an idle tier spends its CPU on. Facts become visible at the next commit
     *     ({@code commitInterval}) anyway, so an interval well below that buys little
     */
    public record InFlight(
            @DefaultValue("64") @Min(1) int perTask,
            @DefaultValue("20ms") @NotNull Duration drainInterval) {
    }

    /**
     * Exponential backoff with full jitter for retryable failures (storage errors, timeouts, an open breaker).
     *
     * @param retries retries after the first attempt before the job is dead-lettered
     * @param base ceiling of the first retry's wait
     * @param factor growth of the ceiling per attempt
     * @param cap largest ceiling
     * @param releaseInterval how often the delay stage releases due retries; their lateness is at most this
     */
    public record Retry(
            @DefaultValue("3") @Min(0) @Max(10) int retries,
            @DefaultValue("1s") @NotNull Duration base,
            @DefaultValue("2.0") @DecimalMin("1.0") double factor,
            @DefaultValue("60s") @NotNull Duration cap,
            @DefaultValue("250ms") @NotNull Duration releaseInterval) {
    }

    /**
     * The circuit breaker around S3: while open, jobs wait for it instead of hammering storage, and an attempt fails
     * {@code storage_unavailable} (and goes to retry) only when its call reached storage and failed, or when the
     * breaker refused it for longer than {@code maxWait}.
     *
     * @param failureRateThreshold percent of failed calls that opens it
     * @param slidingWindowSize calls the rate is computed over
     * @param minimumCalls calls needed before the rate counts
     * @param waitInOpen time open before a trial call
     * @param maxWait longest a job waits for the breaker to let its call through before the attempt fails
     */
    public record StorageBreaker(
            @DefaultValue("50") @Min(1) @Max(100) int failureRateThreshold,
            @DefaultValue("10") @Min(1) int slidingWindowSize,
            @DefaultValue("5") @Min(1) int minimumCalls,
            @DefaultValue("15s") @NotNull Duration waitInOpen,
            @DefaultValue("60s") @NotNull Duration maxWait) {
    }

    /**
     * The analytics application ({@code <applicationId>-analytics}), which folds the job facts into per-window
     * statistics.
     *
     * @param enabled whether this instance runs it; every instance may, they share its work
     * @param window length of a window
     * @param grace how long after a window's end a late fact still counts in it; the window is published after
     */
    public record Analytics(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1m") @NotNull Duration window,
            @DefaultValue("30s") @NotNull Duration grace) {
    }
}
