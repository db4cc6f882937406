package dev.spool.ingest.servicelevel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.infra.net.FreePorts;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.schemas.servicelevel.ServiceLevel;
import dev.spool.schemas.servicelevel.ServiceLevelSetting;
import dev.spool.schemas.topic.TopicProvisioner;
import dev.spool.schemas.topic.Topics;
import dev.spool.testsupport.SharedInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.test.StepVerifier;

/**
 * The service level on the real broker, as several ingest instances share it: a change answers once the writing
 * instance applies it, every other instance follows, an instance started later reads the latest setting before it
 * takes requests, a tombstone or an unreadable record do not stop the followers, and without Kafka an instance
 * starts with {@code full}.
 */
class ServiceLevelsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<ServiceLevelFollower> followers = new ArrayList<>();
    private final List<DefaultKafkaProducerFactory<String, ServiceLevelSetting>> producers = new ArrayList<>();

    @BeforeAll
    static void topic() {
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers()))) {
            TopicProvisioner.ensure(admin, List.of(Topics.SERVICE_LEVEL.spec()), (short) 1);
        }
    }

    /** Every test leaves the shared topic at full, and stops what it started. */
    @AfterEach
    void restoreFull() {
        Instance cleaner = instance(servers());
        StepVerifier.create(cleaner.levels().set(ServiceLevel.FULL, null, 300, "test-cleanup"))
                .expectNextCount(1).expectComplete().verify(TIMEOUT);
        followers.forEach(ServiceLevelFollower::stop);
        producers.forEach(DefaultKafkaProducerFactory::destroy);
    }

    @Test
    void aChangeIsInForceOnTheWritingInstanceWhenItAnswersAndOtherInstancesFollow() {
        Instance one = instance(servers());
        Instance two = instance(servers());
        String operator = "ops-" + UUID.randomUUID();

        StepVerifier.create(one.levels().set(ServiceLevel.MAINTENANCE, "Upgrading until 14:00.", 600, operator))
                .assertNext(applied -> assertThat(applied.setBy()).isEqualTo(operator))
                .expectComplete()
                .verify(TIMEOUT);

        ServiceLevelSetting here = one.levels().current();
        assertThat(here.level()).isEqualTo(ServiceLevel.MAINTENANCE);
        assertThat(here.message()).isEqualTo("Upgrading until 14:00.");
        assertThat(here.retryAfterSeconds()).isEqualTo(600);
        assertThat(here.setBy()).isEqualTo(operator);
        assertThat(here.since()).isNotNull();
        Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(two.levels().current()).isEqualTo(here));
    }

    @Test
    void anInstanceStartedLaterReadsTheLatestSettingBeforeItTakesRequests() {
        Instance writer = instance(servers());
        String operator = "ops-" + UUID.randomUUID();
        StepVerifier.create(writer.levels().set(ServiceLevel.DEGRADED, null, 120, "earlier")
                        .then(writer.levels().set(ServiceLevel.MAINTENANCE, null, 300, operator)))
                .expectNextCount(1).expectComplete().verify(TIMEOUT);

        Instance late = instance(servers());

        assertThat(late.levels().current().level()).as("read during start-up, before any request")
                .isEqualTo(ServiceLevel.MAINTENANCE);
        assertThat(late.levels().current().setBy()).isEqualTo(operator);
    }

    @Test
    void aTombstoneIsFullAndAnUnreadableRecordIsSkipped() throws Exception {
        Instance instance = instance(servers());
        StepVerifier.create(instance.levels().set(ServiceLevel.MAINTENANCE, null, 300, "ops"))
                .expectNextCount(1).expectComplete().verify(TIMEOUT);

        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers()), new StringSerializer(),
                new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.SERVICE_LEVEL.name(), 0, ServiceLevelSetting.KEY, null)).get();
            Awaitility.await().atMost(TIMEOUT).untilAsserted(() ->
                    assertThat(instance.levels().current()).isEqualTo(ServiceLevelSetting.initial()));

            raw.send(new ProducerRecord<>(Topics.SERVICE_LEVEL.name(), 0, ServiceLevelSetting.KEY,
                    "{not json".getBytes(StandardCharsets.UTF_8))).get();
        }
        StepVerifier.create(instance.levels().set(ServiceLevel.DEGRADED, null, 60, "ops-after-garbage"))
                .assertNext(applied -> assertThat(applied.level()).isEqualTo(ServiceLevel.DEGRADED))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(instance.levels().current().setBy()).isEqualTo("ops-after-garbage");
    }

    @Test
    void withoutKafkaAnInstanceStartsWithFullAndAChangeIsRefusedAsUnconfirmed() {
        String nowhere = "127.0.0.1:" + FreePorts.resolve(0);
        Duration wait = Duration.ofSeconds(2);
        ServiceLevelState state = new ServiceLevelState();
        ServiceLevelFollower follower = new ServiceLevelFollower(consumerConfig(nowhere), state, wait);
        followers.add(follower);
        Instant before = Instant.now();

        follower.start();

        assertThat(Duration.between(before, Instant.now())).isLessThan(wait.plusSeconds(3));
        assertThat(state.current()).isEqualTo(ServiceLevelSetting.initial());
        ServiceLevels levels = new ServiceLevels(state, template(nowhere, wait), wait);
        StepVerifier.create(levels.set(ServiceLevel.MAINTENANCE, null, 300, "ops"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SpoolProblem.class,
                        problem -> assertThat(problem.code()).isEqualTo(ProblemCode.SERVICE_LEVEL_UNAVAILABLE)))
                .verify(TIMEOUT);
        assertThat(state.current().level()).isEqualTo(ServiceLevel.FULL);
    }

    private record Instance(ServiceLevels levels) {
    }

    /** An ingest instance's service level as the configuration wires it: its own follower, started, and a producer. */
    private Instance instance(String servers) {
        ServiceLevelState state = new ServiceLevelState();
        ServiceLevelFollower follower = new ServiceLevelFollower(consumerConfig(servers), state, TIMEOUT);
        followers.add(follower);
        follower.start();
        return new Instance(new ServiceLevels(state, template(servers, TIMEOUT), TIMEOUT));
    }

    private static Map<String, Object> consumerConfig(String servers) {
        return ServiceLevelConfiguration.consumerConfig(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers));
    }

    private KafkaTemplate<String, ServiceLevelSetting> template(String servers, Duration timeout) {
        DefaultKafkaProducerFactory<String, ServiceLevelSetting> factory = ServiceLevelConfiguration.producerFactory(
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers), timeout);
        producers.add(factory);
        return new KafkaTemplate<>(factory);
    }

    private static String servers() {
        return SharedInfra.get().kafkaBootstrapServers();
    }
}
