package dev.spool.processor.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The processor's own settings (prefix {@code spool.processor}); every knob has a default so that the service
 * runs without a properties file, also inside the launcher's shared classpath.
 *
 * @param applicationId Kafka Streams {@code application.id}: consumer group and prefix of internal topics
 * @param stateDir Kafka Streams state directory; defaults to {@code ${java.io.tmpdir}/spool-streams}
 * @param workDir where jobs keep their document and text while they run; defaults to
 *     {@code ${java.io.tmpdir}/spool-work}
 * @param streamThreads number of stream threads
 * @param commitInterval how often Streams commits its transaction; bounds the latency of facts
 * @param maxCharacters most characters extracted from one document; more fails the job as too large
 * @param closeTimeout how long shutdown waits for Streams to close cleanly
 * @param maxJobDuration longest a single job may run inside the stream thread before Kafka gives up on the
 *     thread's transaction and poll loop; sizes the transaction timeout and the poll interval
 */
@Validated
@ConfigurationProperties(prefix = "spool.processor")
public record ProcessorProperties(
        @DefaultValue("spool-processor") @NotBlank String applicationId,
        String stateDir,
        String workDir,
        @DefaultValue("1") @Min(1) int streamThreads,
        @DefaultValue("100ms") @NotNull Duration commitInterval,
        @DefaultValue("10000000") @Min(1) int maxCharacters,
        @DefaultValue("30s") @NotNull Duration closeTimeout,
        @DefaultValue("5m") @NotNull Duration maxJobDuration) {

    public ProcessorProperties {
        // A placeholder in @DefaultValue is not resolved, so the temp-dir default is computed here.
        if (stateDir == null || stateDir.isBlank()) {
            stateDir = Path.of(System.getProperty("java.io.tmpdir"), "spool-streams").toString();
        }
        if (workDir == null || workDir.isBlank()) {
            workDir = Path.of(System.getProperty("java.io.tmpdir"), "spool-work").toString();
        }
    }
}
