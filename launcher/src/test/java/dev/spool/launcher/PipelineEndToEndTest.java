package dev.spool.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spool.infra.InfraSettings;
import dev.spool.schemas.topic.Topics;
import dev.spool.testsupport.SharedInfra;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

/**
 * The whole slice on real servers, wired exactly as the launcher wires it: upload a PDF and a DOCX, wait until
 * the processor and the projection report them completed, and read back the extracted text.
 */
class PipelineEndToEndTest {

    private static final String SECRET = "end-to-end-test-secret-of-at-least-32-bytes";
    private static final MediaType DOCX =
            MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.wordprocessingml.document");

    @TempDir
    static Path dataDir;

    private static ServiceContexts services;
    private static WebTestClient client;
    private static final DemoTokens TOKENS = new DemoTokens(SECRET);

    @BeforeAll
    static void startPipeline() {
        LauncherSettings settings = new LauncherSettings(dataDir, 0, SECRET, InfraSettings.forTests(),
                EnumSet.allOf(LauncherSettings.Service.class), 0, 0);
        services = ServiceContexts.start(SpoolLauncher.serviceProperties(settings, SharedInfra.get()), 0,
                settings.services(), SpoolLauncher.managementServers(settings));
        client = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + services.ingestPort())
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    @AfterAll
    static void stopPipeline() {
        services.close();
    }

    @Test
    void pdfAndDocxAreExtractedEndToEnd() {
        String user = TOKENS.demoUser(Instant.now());
        String pdfJob = upload(user, "quarterly.pdf", MediaType.APPLICATION_PDF,
                SampleDocuments.pdf("Spool extracts the marmalade clause", "Second page of the report"));
        String docxJob = upload(user, "minutes.docx", DOCX,
                SampleDocuments.docx("The heron committee met on Tuesday"));

        JsonNode pdf = awaitCompleted(user, pdfJob);
        JsonNode docx = awaitCompleted(user, docxJob);

        assertThat(pdf.at("/result/pages").asInt()).isEqualTo(2);
        assertThat(pdf.at("/result/words").asLong()).isGreaterThan(5);
        assertThat(text(user, pdfJob)).contains("marmalade clause").contains("Second page");
        assertThat(docx.at("/result/characters").asLong()).isPositive();
        assertThat(text(user, docxJob)).contains("heron committee met on Tuesday");
    }

    @Test
    void everyJobsStatusUrlAnswersRightAfterIts202WhileTheProcessorAndProjectionRace() {
        String user = TOKENS.demoUser(Instant.now());
        for (int i = 0; i < 20; i++) {
            String job = upload(user, "note-" + i + ".txt", MediaType.TEXT_PLAIN,
                    ("Read right after its upload, number " + i + "\n").getBytes(StandardCharsets.UTF_8));
            // queued, or further along if the processor and the projection were quicker than this read
            client.get().uri("/api/v1/jobs/{id}", job)
                    .headers(h -> h.setBearerAuth(user))
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.jobId").isEqualTo(job).jsonPath("$.ownerId").isNotEmpty();
        }
    }

    @Test
    void unknownJobIsNotFoundAndAnotherUsersJobIsForbidden() {
        String owner = TOKENS.demoUser(Instant.now());
        String stranger = TOKENS.mint("someone-else", "standard", List.of(), Instant.now());
        String job = upload(owner, "note.pdf", MediaType.APPLICATION_PDF, SampleDocuments.pdf("private note"));

        client.get().uri("/api/v1/jobs/{id}", "00000000-0000-0000-0000-000000000000")
                .headers(h -> h.setBearerAuth(owner))
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("job_not_found");
        awaitCompleted(owner, job);
        client.get().uri("/api/v1/jobs/{id}", job)
                .headers(h -> h.setBearerAuth(stranger))
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("not_owner");
        client.get().uri("/api/v1/jobs/{id}/text", job)
                .headers(h -> h.setBearerAuth(stranger))
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void everyEventOfAJobReadsWithPlainKafkaClientsAndValidatesAgainstTheSchemaFiles() {
        String user = TOKENS.demoUser(Instant.now());
        String job = upload(user, "contract.pdf", MediaType.APPLICATION_PDF, SampleDocuments.pdf("contract check"));
        awaitCompleted(user, job);

        List<PlainEventReader.Event> events = PlainEventReader.readUntil(SharedInfra.get().kafkaBootstrapServers(),
                List.of(Topics.JOB_EVENTS.name(), Topics.JOB_PROGRESS.name()), job,
                read -> read.stream().map(PlainEventReader.Event::type).toList()
                        .containsAll(List.of("dev.spool.job.accepted.v1", "dev.spool.job.started.v1",
                                "dev.spool.job.progress.v1", "dev.spool.job.completed.v1")),
                Duration.ofSeconds(30));

        assertThat(events).extracting(PlainEventReader.Event::type).contains(
                "dev.spool.job.accepted.v1", "dev.spool.job.started.v1", "dev.spool.job.progress.v1",
                "dev.spool.job.completed.v1");
        assertThat(events).allSatisfy(event -> {
            assertThat(event.key()).isEqualTo(job);
            assertThat(event.headers()).containsKeys("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time",
                    "ce_subject", "content-type", "ce_dataschema");
            assertThat(event.headers()).containsEntry("ce_specversion", "1.0")
                    .containsEntry("content-type", "application/json");
            assertThat(PlainEventReader.violations(event)).as("%s", event.type()).isEmpty();
        });
        assertThat(events).filteredOn(event -> event.topic().equals(Topics.JOB_EVENTS.name()))
                .extracting(PlainEventReader.Event::type)
                .containsExactly("dev.spool.job.accepted.v1", "dev.spool.job.completed.v1");
        assertThat(events).extracting(event -> event.headers().get("ce_id")).doesNotHaveDuplicates();
    }

    @Test
    void readinessOnTheHttpPortWaitsForTheProcessorAndTheProjection() {
        WebTestClient processor = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + services.processorPort()).build();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange().expectStatus().isOk());

        // The processor's own readiness is UP only once every Streams application has been RUNNING and its
        // extraction workers are started.
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.components.pipeline.status").isEqualTo("UP");
        processor.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.components.streams.status").isEqualTo("UP")
                .jsonPath("$.components.extraction.status").isEqualTo("UP");
    }

    @Test
    void theProcessorAndTheProjectionServeTheirOwnHealthAndMetrics() {
        // Kafka client metrics per partition make a long page.
        WebTestClient processor = WebTestClient.bindToServer()
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024))
                .baseUrl("http://localhost:" + services.processorPort()).build();
        WebTestClient projection = WebTestClient.bindToServer()
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024))
                .baseUrl("http://localhost:" + services.projectionPort()).build();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> processor.get().uri("/actuator/health/readiness")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.components.streams.status").isEqualTo("UP"));
        processor.get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .value(metrics -> assertThat(metrics).contains("spool_processor_jobs_in_flight", "kafka_consumer_"));
        projection.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.components.listeners.status").isEqualTo("UP");
        projection.get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .value(metrics -> assertThat(metrics).contains("spool_jobs{", "spool_projection_mongo_failing"));
    }

    private String upload(String token, String filename, MediaType type, byte[] content) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", content).filename(filename).contentType(type);
        JsonNode accepted = client.post().uri("/api/v1/uploads")
                .headers(h -> h.setBearerAuth(token))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.ACCEPTED)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(accepted).isNotNull();
        return accepted.at("/jobs/0/jobId").asString();
    }

    private JsonNode awaitCompleted(String token, String jobId) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> view(token, jobId), view -> view != null && isTerminal(view));
    }

    private static boolean isTerminal(JsonNode view) {
        String status = view.path("status").asString();
        assertThat(status).as("job failed: %s", view.path("error")).isNotEqualTo("failed");
        return "completed".equals(status);
    }

    private JsonNode view(String token, String jobId) {
        return client.get().uri("/api/v1/jobs/{id}", jobId)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .returnResult(JsonNode.class)
                .getResponseBody()
                .blockFirst(Duration.ofSeconds(10));
    }

    private String text(String token, String jobId) {
        return client.get().uri("/api/v1/jobs/{id}/text", jobId)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }
}
