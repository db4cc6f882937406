package dev.spool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.ImageMetadata;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobFailed;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topics;
import dev.spool.testsupport.SharedInfra;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Photos through the processor on the real broker and S3Proxy, with the default settings: a job completes with what
 * the photo's EXIF, XMP and IPTC metadata say (its position included) and its captions as its stored text; a photo
 * without metadata completes with its size alone and no text. Fixtures are written by exiftool and ImageMagick
 * ({@code src/test/resources/images/generate.sh}).
 */
class ImageIntegrationTest {

    private static final String APPLICATION_ID = "image-it-" + UUID.randomUUID();
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    static Path folder;

    private static ConfigurableApplicationContext processor;
    private static UploadedDocuments documents;
    private static KafkaProducer<String, JobEvent> work;

    @BeforeAll
    static void start() throws Exception {
        FreshApplications.startAtLogEnd(APPLICATION_ID);
        documents = new UploadedDocuments();
        work = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.get().kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), // The tier topics share one format.
                Topics.JOBS_NORMAL.keySerializer(), Topics.JOBS_NORMAL.valueSerializer("/test/ingest"));
        processor = new SpringApplicationBuilder(ProcessorApplication.class)
                .web(WebApplicationType.NONE)
                .properties(Map.ofEntries(
                        Map.entry("spring.kafka.bootstrap-servers", SharedInfra.get().kafkaBootstrapServers()),
                        Map.entry("spool.storage.endpoint", SharedInfra.get().s3Endpoint()),
                        Map.entry("spool.storage.region", SharedInfra.get().s3Region()),
                        Map.entry("spool.storage.access-key", SharedInfra.get().s3AccessKey()),
                        Map.entry("spool.storage.secret-key", SharedInfra.get().s3SecretKey()),
                        Map.entry("spool.processor.application-id", APPLICATION_ID),
                        Map.entry("spool.processor.state-dir", folder.resolve("state").toString()),
                        Map.entry("spool.processor.work-dir", folder.resolve("work").toString()),
                        Map.entry("spool.processor.close-timeout", "10s")))
                .run();
    }

    @AfterAll
    static void stop() {
        processor.close();
        work.close();
        documents.close();
    }

    @Test
    void aPhotoCompletesWithItsImageMetadataAndItsCaptionsAsText() throws Exception {
        JobCompleted completed = process("captioned.jpg", "image/jpeg");

        ExtractionResult result = completed.result();
        assertThat(result.contentType()).isEqualTo("image/jpeg");
        assertThat(result.image()).isEqualTo(new ImageMetadata(64, 48, 6, "2024-06-15T18:42:07+02:00", "Fujifilm",
                "X-T30", new ImageMetadata.GpsPosition(50.9413, 6.9583, 53.5), "Fähre über den Rhein bei Köln",
                "Abendfähre", "Die letzte Fähre des Tages", List.of("Fähre", "Rhein", "Köln", "Sommer")));
        assertThat(storedText(completed)).isEqualTo("""
                Abendfähre
                Die letzte Fähre des Tages
                Fähre über den Rhein bei Köln
                Fähre, Rhein, Köln, Sommer
                """);
        assertThat(result.words()).isEqualTo(16);
        assertThat(result.metadata()).containsEntry("geo:lat", "50.9413");
    }

    @Test
    void aPhotoWithoutMetadataCompletesWithItsSizeAlone() throws Exception {
        JobCompleted completed = process("bare.png", "image/png");

        assertThat(completed.result().image()).isEqualTo(new ImageMetadata(20, 10, null, null, null, null, null, null,
                null, null, null));
        assertThat(completed.result().characters()).isZero();
        assertThat(storedText(completed)).isEmpty();
    }

    private static JobCompleted process(String fixture, String contentType) throws Exception {
        byte[] photo = Files.readAllBytes(Path.of(ImageIntegrationTest.class.getResource("/images/" + fixture).toURI()));
        JobAccepted job = documents.upload(photo, contentType, Priority.NORMAL);
        work.send(Topics.jobs(job.priority()).record(job.jobId(), job)).get();
        return outcome(job.jobId());
    }

    /** The job's completion, read committed; a failure ends the wait at once. */
    private static JobCompleted outcome(String jobId) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.get().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "facts-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, JobEvent> consumer = new KafkaConsumer<>(config, Topics.JOB_EVENTS.keyDeserializer(),
                Topics.JOB_EVENTS.valueDeserializer())) {
            consumer.subscribe(List.of(Topics.JOB_EVENTS.name()));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, JobEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    if (jobId.equals(record.key()) && record.value() instanceof JobCompleted completed) {
                        return completed;
                    }
                    if (jobId.equals(record.key()) && record.value() instanceof JobFailed failed) {
                        throw new AssertionError("job " + jobId + " failed: " + failed.error());
                    }
                }
            }
        }
        throw new AssertionError("job " + jobId + " did not complete in " + DEADLINE);
    }

    private static String storedText(JobCompleted completed) throws IOException {
        try (InputStream object = documents.s3().getObject(request -> request.bucket(completed.result().textBucket())
                        .key(completed.result().textKey()));
                InputStream text = new GZIPInputStream(object)) {
            return new String(text.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
