package dev.spool.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.reactivestreams.client.MongoClient;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.schemas.envelope.CloudEventHeaders;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.envelope.JobEventDeserializer;
import dev.spool.schemas.event.EventType;
import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topic;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.topic.WorkRecordHeaders;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import dev.spool.testsupport.SharedInfra;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import tools.jackson.databind.JsonNode;

/** The whole service against real Kafka, S3Proxy, Mongo-wire and Redis servers: upload, announce, read status. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class IngestIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final byte[] PDF = ("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            + "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
            .getBytes(StandardCharsets.US_ASCII);

    @Autowired
    private WebTestClient client;

    @LocalServerPort
    private int port;

    @Autowired
    private S3AsyncClient s3;

    @Autowired
    private MongoClient mongo;

    @Autowired
    private ReactiveStringRedisTemplate redis;

    @Autowired
    private ObservationRegistry observations;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void anUploadIsStoredAndAnnouncedOnItsTierAndAsAFact() throws Exception {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", PDF).filename("reports/q3.pdf").contentType(MediaType.APPLICATION_OCTET_STREAM);

        UploadAnswer answer = client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("alice"))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(UploadAnswer.class)
                .returnResult().getResponseBody();

        assertThat(answer).isNotNull();
        assertThat(answer.jobs()).hasSize(1);
        UploadAnswer.Job job = answer.jobs().get(0);
        assertThat(job.filename()).isEqualTo("q3.pdf");
        assertThat(job.statusUrl()).isEqualTo("/api/v1/jobs/" + job.jobId());
        assertThat(job.eventsUrl()).isEqualTo("/api/v1/jobs/" + job.jobId() + "/events");

        byte[] stored = s3.getObject(r -> r.bucket("spool-uploads").key("uploads/" + job.jobId()),
                AsyncResponseTransformer.toBytes()).get().asByteArray();
        assertThat(stored).isEqualTo(PDF);

        Map<String, ConsumerRecord<String, byte[]>> announced = readCommitted(job.jobId(),
                List.of(Topics.JOBS_NORMAL, Topics.JOB_EVENTS));
        for (ConsumerRecord<String, byte[]> record : announced.values()) {
            assertCloudEventHeaders(record, job.jobId());
            JobAccepted accepted = (JobAccepted) Topics.JOB_EVENTS.valueDeserializer()
                    .deserialize(record.topic(), record.headers(), record.value());
            assertThat(accepted.jobId()).isEqualTo(job.jobId());
            assertThat(accepted.ownerId()).isEqualTo("alice");
            assertThat(accepted.filename()).isEqualTo("q3.pdf");
            assertThat(accepted.size()).isEqualTo(PDF.length);
            assertThat(accepted.sha256()).isEqualTo(sha256(PDF));
            assertThat(accepted.contentType()).isEqualTo("application/pdf");
            assertThat(accepted.declaredContentType()).isEqualTo("application/octet-stream");
            assertThat(accepted.priority()).isEqualTo(Priority.NORMAL);
            assertThat(accepted.bucket()).isEqualTo("spool-uploads");
            assertThat(accepted.objectKey()).isEqualTo("uploads/" + job.jobId());
            assertThat(accepted.attempt()).isEqualTo(1);
        }
        Header document = announced.get(Topics.JOBS_NORMAL.name()).headers().lastHeader(WorkRecordHeaders.DOCUMENT);
        assertThat(document).as("a small document travels with its work").isNotNull();
        assertThat(document.value()).isEqualTo(PDF);
        assertThat(announced.get(Topics.JOB_EVENTS.name()).headers().lastHeader(WorkRecordHeaders.DOCUMENT))
                .as("but never with the fact that downstream consumers read").isNull();
    }

    @Test
    void theStatusUrlAndTheFeedAnswerWithTheQueuedJobTheMomentThe202IsSent() {
        // No projection runs beside this service: whatever the status URL finds, ingest wrote before its 202.
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", "Read me at once\n".getBytes(StandardCharsets.UTF_8)).filename("now.txt");
        UploadAnswer.Job job = client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("hana"))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(UploadAnswer.class)
                .returnResult().getResponseBody().jobs().get(0);

        client.get().uri(job.statusUrl())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("hana"))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.jobId").isEqualTo(job.jobId())
                .jsonPath("$.status").isEqualTo("queued")
                .jsonPath("$.ownerId").isEqualTo("hana")
                .jsonPath("$.filename").isEqualTo("now.txt")
                .jsonPath("$.version").isEqualTo(1);

        ServerSentEvent<JsonNode> first = client.get().uri(job.eventsUrl())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("hana"))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<JsonNode>>() { })
                .getResponseBody().filter(event -> !"heartbeat".equals(event.event())).blockFirst(DEADLINE);
        assertThat(first.event()).isEqualTo("status");
        assertThat(first.id()).as("an entry of the job's feed, which a reconnect resumes after").isNotBlank();
        assertThat(first.data().get("status").asString()).isEqualTo("queued");
        List<JobView> inOwnersFeed = redis.<String, String>opsForStream()
                .range(ViewStorage.ownerFeedKey("hana"), Range.unbounded())
                .map(entry -> EventJson.mapper().readValue(entry.getValue().get(ViewStorage.FEED_FIELD_VIEW), JobView.class))
                .filter(view -> view.jobId().equals(job.jobId()))
                .collectList().block(DEADLINE);
        assertThat(inOwnersFeed).as("and so does the feed of all of hana's jobs")
                .extracting(JobView::status).containsExactly(JobStatus.QUEUED);

        client.get().uri(job.statusUrl())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("mallory"))
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void anEmptyFileIsRefusedAsProblemDetails() {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", new byte[0]).filename("empty.txt");

        client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("alice"))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("empty_file");
    }

    @Test
    void aViewInMongoIsServedToItsOwnerAndRecachedInRedis() {
        String jobId = UUID.randomUUID().toString();
        JobView view = completedView(jobId, "carol");
        insertIntoMongo(view);

        client.get().uri("/api/v1/jobs/{id}", jobId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("carol"))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.jobId").isEqualTo(jobId)
                .jsonPath("$.status").isEqualTo("completed")
                .jsonPath("$.sha256").isEqualTo(view.sha256())
                .jsonPath("$.completedAt").isEqualTo("2026-11-22T10:00:05Z")
                .jsonPath("$.result.pages").isEqualTo(3)
                .jsonPath("$.result.textUrl").isEqualTo("/api/v1/jobs/" + jobId + "/text");

        String cached = redis.opsForValue().get(ViewStorage.redisKey(jobId)).block(DEADLINE);
        assertThat(cached).as("view re-cached in Redis").isNotNull();
        assertThat(EventJson.mapper().readValue(cached, JobView.class)).isEqualTo(view);
        Duration ttl = redis.getExpire(ViewStorage.redisKey(jobId)).block(DEADLINE);
        assertThat(ttl).isBetween(Duration.ofHours(23), Duration.ofHours(24));

        client.get().uri("/api/v1/jobs/{id}", jobId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("mallory"))
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("not_owner");

        client.get().uri("/api/v1/jobs/{id}", jobId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.token("root", "premium", List.of("admin")))
                .exchange()
                .expectStatus().isOk();
    }

    @Test
    void theTextOfACompletedJobStreamsFromStorage() throws Exception {
        String jobId = UUID.randomUUID().toString();
        JobView view = completedView(jobId, "erin");
        String text = "Quarterly report — Überblick\n".repeat(1000);
        s3.putObject(r -> r.bucket(view.result().textBucket()).key(view.result().textKey()).contentType("text/plain"),
                AsyncRequestBody.fromString(text, StandardCharsets.UTF_8)).get();
        insertIntoMongo(view);

        client.get().uri("/api/v1/jobs/{id}/text", jobId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("erin"))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("text/plain;charset=UTF-8")
                .expectBody(String.class).isEqualTo(text);
    }

    @Test
    void aGzippedTextIsSentCompressedToWhoAcceptsGzipAndPlainToWhoDoesNot() throws Exception {
        String jobId = UUID.randomUUID().toString();
        JobView plain = completedView(jobId, "gina");
        ExtractionResult stored = plain.result();
        ExtractionResult gzipped = new ExtractionResult(stored.contentType(), stored.pages(), stored.characters(),
                stored.words(), stored.language(), stored.title(), stored.author(), stored.textBucket(),
                "text/" + jobId + ".txt.gz", null, null, null, "gzip");
        JobView view = new JobView(plain.jobId(), plain.ownerId(), plain.filename(), plain.size(), plain.sha256(),
                plain.contentType(), plain.priority(), plain.status(), plain.stage(), plain.progress(), plain.attempts(),
                plain.deadLettered(), plain.createdAt(), plain.startedAt(), plain.completedAt(), plain.processingMillis(),
                gzipped, plain.error(), plain.version(), plain.updatedAt());
        String text = "Kompressiert — und zurück\n".repeat(5000);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        s3.putObject(r -> r.bucket(gzipped.textBucket()).key(gzipped.textKey()).contentType("text/plain")
                .contentEncoding("gzip"), AsyncRequestBody.fromBytes(compressed.toByteArray())).get();
        insertIntoMongo(view);

        // The JDK client, because it neither asks for nor undoes a content encoding by itself.
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://localhost:" + port + "/api/v1/jobs/" + jobId + "/text");
        HttpResponse<byte[]> identity = http.send(HttpRequest.newBuilder(uri)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("gina")).build(), BodyHandlers.ofByteArray());
        HttpResponse<byte[]> encoded = http.send(HttpRequest.newBuilder(uri)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("gina"))
                .header(HttpHeaders.ACCEPT_ENCODING, "br, gzip").build(), BodyHandlers.ofByteArray());

        assertThat(identity.statusCode()).isEqualTo(200);
        assertThat(identity.headers().firstValue(HttpHeaders.CONTENT_ENCODING)).isEmpty();
        assertThat(new String(identity.body(), StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(encoded.statusCode()).isEqualTo(200);
        assertThat(encoded.headers().firstValue(HttpHeaders.CONTENT_ENCODING)).contains("gzip");
        assertThat(encoded.body()).isEqualTo(compressed.toByteArray());
    }

    @Test
    void aViewOnlyInRedisIsServedFromRedis() {
        String jobId = UUID.randomUUID().toString();
        JobView view = completedView(jobId, "dave");
        redis.opsForValue().set(ViewStorage.redisKey(jobId), EventJson.mapper().writeValueAsString(view),
                Duration.ofMinutes(5)).block(DEADLINE);

        client.get().uri("/api/v1/jobs/{id}", jobId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("dave"))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.ownerId").isEqualTo("dave");
    }

    @Test
    void aLiveViewThatHasNotSeenTheAcceptanceYetDefersToMongo() {
        String jobId = UUID.randomUUID().toString();
        JobView owned = completedView(jobId, "frank");
        JobView ownerless = new JobView(jobId, null, null, null, null, null, null, JobStatus.PROCESSING, null, 0, 1,
                false, null, owned.startedAt(), null, null, null, null, 1L, owned.startedAt());
        redis.opsForValue().set(ViewStorage.redisKey(jobId), EventJson.mapper().writeValueAsString(ownerless),
                Duration.ofMinutes(5)).block(DEADLINE);

        client.get().uri("/api/v1/jobs/{id}", jobId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("frank"))
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("job_not_found");

        insertIntoMongo(owned);

        client.get().uri("/api/v1/jobs/{id}", jobId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("frank"))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.ownerId").isEqualTo("frank")
                .jsonPath("$.status").isEqualTo("completed");
    }

    @Test
    void anUnknownJobIs404AndNoTokenIs401() {
        client.get().uri("/api/v1/jobs/{id}", UUID.randomUUID())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("carol"))
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("job_not_found");

        client.get().uri("/api/v1/jobs/{id}", UUID.randomUUID())
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("unauthenticated");
    }

    @Test
    void healthIsPublicAndUp() {
        client.get().uri("/actuator/health")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.mongo.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP");
    }

    @Test
    void springSecurityRecordsNoObservationsWhileRequestsStillDo() {
        assertThat(Observation.start("spring.security.filterchains", observations).isNoop()).isTrue();
        assertThat(Observation.start("spring.security.authorizations", observations).isNoop()).isTrue();
        assertThat(Observation.start("http.server.requests", observations).isNoop()).isFalse();
    }

    private void insertIntoMongo(JobView view) {
        StoredViews.insert(mongo, view);
    }

    private static JobView completedView(String jobId, String owner) {
        Instant created = Instant.parse("2026-11-22T10:00:00Z");
        ExtractionResult result = new ExtractionResult("application/pdf", 3, 1200, 210, "en", "Q3", "Carol",
                "spool-text", "text/" + jobId + ".txt", null, null, null, null);
        return new JobView(jobId, owner, "q3.pdf", 4096L, "cd".repeat(32), "application/pdf", Priority.NORMAL,
                JobStatus.COMPLETED, null, 100, 1, false, created, created.plusSeconds(1), created.plusSeconds(5),
                4000L, result, null, 4L, created.plusSeconds(5));
    }

    /** Polls {@code topics} as a {@code read_committed} consumer until each holds a record keyed {@code jobId}. */
    /** The job's records on {@code topics}, by topic name, as bytes: their headers are what is checked. */
    private static Map<String, ConsumerRecord<String, byte[]>> readCommitted(String jobId,
            List<Topic<String, JobEvent>> topics) {
        List<String> names = topics.stream().map(Topic::name).toList();
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.get().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "ingest-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, ConsumerRecord<String, byte[]>> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(names);
            Instant deadline = Instant.now().plus(DEADLINE);
            while (found.size() < names.size() && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (jobId.equals(record.key())) {
                        found.put(record.topic(), record);
                    }
                }
            }
        }
        assertThat(found).containsOnlyKeys(names);
        return found;
    }

    private static void assertCloudEventHeaders(ConsumerRecord<String, byte[]> record, String jobId) {
        assertThat(header(record, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(header(record, CloudEventHeaders.ID)).isNotBlank();
        assertThat(header(record, CloudEventHeaders.SOURCE)).isEqualTo("/spool/ingest-service");
        assertThat(header(record, CloudEventHeaders.TYPE)).isEqualTo(EventType.ACCEPTED.ceType());
        assertThat(Instant.parse(header(record, CloudEventHeaders.TIME))).isBefore(Instant.now().plusSeconds(1));
        assertThat(header(record, CloudEventHeaders.SUBJECT)).isEqualTo(jobId);
        assertThat(header(record, CloudEventHeaders.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(header(record, CloudEventHeaders.DATA_SCHEMA)).isEqualTo(EventType.ACCEPTED.dataSchema());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return JobEventDeserializer.header(record.headers(), name);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The upload answer as a client reads it. */
    record UploadAnswer(List<Job> jobs) {

        record Job(String jobId, String filename, String statusUrl, String eventsUrl) {
        }
    }
}
