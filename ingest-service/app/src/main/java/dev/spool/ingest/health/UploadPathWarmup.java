package dev.spool.ingest.health;

import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.content.ContentTypeDetector;
import dev.spool.ingest.content.ContentTypePolicy;
import dev.spool.ingest.publish.JobPublisher;
import dev.spool.ingest.publish.QueuedViews;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Does once, before the service reports itself ready, what the first upload would otherwise do on its own time:
 * loads Tika's media types and detectors for the content checks, starts a transactional Kafka producer and fetches the
 * job topics' partitions, connects to Redis (with the script that writes a job's first view, and the view's JSON
 * writer) and to S3. Measured with JFR on the
 * launcher, these made the first upload after readiness take over a second longer than the next ones. Readiness is
 * reported only after application runners have run, so no upload is routed here before. A step that fails is
 * logged and left to the first upload, which then fails or succeeds as it would have; it never stops the start.
 */
@Component
public class UploadPathWarmup implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(UploadPathWarmup.class);
    /**
     * Generous: the machine is busy while services start (the launcher starts extraction workers beside this), and a
     * step only has to end before readiness.
     */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(15);
    /** A PDF, a zip container (what Office documents are) and a text each take another way through Tika. */
    private static final byte[] PDF = "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ZIP = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
    private static final byte[] TEXT = "A line of plain text.\n".getBytes(StandardCharsets.UTF_8);

    private final ContentTypeDetector detector;
    private final JobPublisher publisher;
    private final QueuedViews queuedViews;
    private final S3AsyncClient s3;
    private final String bucket;

    public UploadPathWarmup(ContentTypeDetector detector, JobPublisher publisher, QueuedViews queuedViews,
            S3AsyncClient s3, StorageProperties storage) {
        this.detector = detector;
        this.publisher = publisher;
        this.queuedViews = queuedViews;
        this.s3 = s3;
        this.bucket = storage.uploadBucket();
    }

    @Override
    public void run(ApplicationArguments args) {
        step("content checks", () -> {
            detector.detect(ZIP);
            ContentTypePolicy.judge(detector.detect(PDF), "application/pdf", "sample.pdf");
            ContentTypePolicy.judge(detector.detect(TEXT), "text/plain", "sample.txt");
        });
        step("Kafka producer", publisher::warmUp);
        step("Redis", () -> queuedViews.warmUp().block(STEP_TIMEOUT));
        step("S3", () -> s3.headBucket(request -> request.bucket(bucket))
                .get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    }

    private static void step(String name, Step step) {
        long start = System.nanoTime();
        try {
            step.run();
            LOG.info("Upload path warmed up: {} in {} ms", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("Could not warm up the upload path's {}; the first upload will: {}", name, e.toString());
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
