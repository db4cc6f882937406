package dev.spool.projection.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.spool.infra.net.FreePorts;
import dev.spool.testsupport.SharedInfra;
import dev.spool.infra.mongo.MongoWireServer;
import dev.spool.projection.JobEventsPublisher;
import dev.spool.projection.ProjectionApplication;
import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.fold.SampleEvents;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Stage;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;

/**
 * The documented rebuild ({@code spool.projection.rebuild=true}) against the real broker and a Mongo-wire server of
 * the test's own: views lost or damaged in MongoDB come back from the topics, and the rebuild refuses to run while
 * another instance of the group is consuming.
 */
class ViewRebuildIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Path DATA = tempDir();
    private static final int MONGO_PORT = FreePorts.resolve(0);
    private static final MongoWireServer MONGO_SERVER = MongoWireServer.start(DATA.resolve("jobs"), MONGO_PORT);
    private static final MongoClient MONGO = MongoClients.create(MONGO_SERVER.uri());

    private final String group = "rebuild-" + UUID.randomUUID();
    private final JobViewRepository views = new JobViewRepository(MONGO);
    private final JobViewFold fold = new JobViewFold();

    @AfterAll
    static void stopServer() throws IOException {
        MONGO.close();
        MONGO_SERVER.close();
        try (Stream<Path> files = Files.walk(DATA)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("projection-rebuild-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRebuildRestoresLostAndDamagedViewsFromTheTopicsAndDropsStrayOnes() throws Exception {
        SampleEvents job = new SampleEvents("rebuild-" + UUID.randomUUID());
        List<JobEvent> lifecycle = List.of(job.accepted(0), job.started(1, 1), job.progress(1, Stage.EXTRACTING, 50, 2),
                job.completed(1, 1, 5));
        JobView expected = foldAll(lifecycle);
        publish(lifecycle);
        try (ConfigurableApplicationContext projection = start(false)) {
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(views.find(job.jobId()).block()).isNotNull()
                    .extracting(JobView::status).isEqualTo(expected.status()));
        }
        JobView projected = views.find(job.jobId()).block();
        Mono.from(jobs().deleteOne(new Document("_id", job.jobId()))).block();
        SampleEvents stray = new SampleEvents("stray-" + UUID.randomUUID());
        views.update(stray.jobId(), current -> fold.apply(null, stray.accepted(0))).block();
        assertThat(views.find(job.jobId()).block()).isNull();

        try (ConfigurableApplicationContext rebuilding = start(true)) {
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(views.find(job.jobId()).block()).isEqualTo(projected));
            assertThat(views.find(stray.jobId()).block()).isNull();
        }
    }

    @Test
    void aRebuildRefusesWhileAnotherInstanceOfTheGroupIsRunning() throws Exception {
        SampleEvents job = new SampleEvents("rebuild-busy-" + UUID.randomUUID());
        publish(List.of(job.accepted(0)));
        try (ConfigurableApplicationContext running = start(false)) {
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(views.find(job.jobId()).block()).isNotNull());

            assertThatThrownBy(() -> start(true).close())
                    .hasStackTraceContaining("still has running members; stop every status-projection instance");
            assertThat(views.find(job.jobId()).block()).as("nothing dropped").isNotNull();
        }
    }

    private ConfigurableApplicationContext start(boolean rebuild) {
        return new SpringApplicationBuilder(ProjectionApplication.class)
                .web(WebApplicationType.NONE)
                .properties(Map.of(
                        "spring.kafka.bootstrap-servers", SharedInfra.get().kafkaBootstrapServers(),
                        "spring.mongodb.uri", MONGO_SERVER.uri(),
                        "spring.data.redis.host", SharedInfra.get().redisHost(),
                        "spring.data.redis.port", SharedInfra.get().redisPort(),
                        "spool.projection.consumer.group-id", group,
                        "spool.projection.consumer.live-group-id", group + "-live",
                        "spool.projection.rebuild", rebuild,
                        "management.server.port", -1,
                        "spring.jmx.enabled", false))
                .run();
    }

    private static void publish(List<JobEvent> events) throws Exception {
        try (JobEventsPublisher publisher = new JobEventsPublisher(SharedInfra.get().kafkaBootstrapServers())) {
            publisher.publish(events.toArray(JobEvent[]::new));
        }
    }

    private JobView foldAll(List<JobEvent> events) {
        JobView view = null;
        for (JobEvent event : events) {
            view = fold.apply(view, event);
        }
        return view;
    }

    private static com.mongodb.reactivestreams.client.MongoCollection<Document> jobs() {
        return MONGO.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(ViewStorage.JOBS_COLLECTION);
    }
}
