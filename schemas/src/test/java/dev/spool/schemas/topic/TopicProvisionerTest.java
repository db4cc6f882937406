package dev.spool.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.testsupport.SharedInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against the real embedded broker: create what is missing, report what drifted, change nothing that exists. */
class TopicProvisionerTest {

    private final Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfra.get().kafkaBootstrapServers()));
    private final String prefix = "provisioner-" + UUID.randomUUID() + "-";

    @AfterEach
    void close() {
        admin.close();
    }

    @Test
    void createsMissingTopicsOnceAndReportsNoDriftForMatchingOnes() throws Exception {
        List<TopicSpec> specs = List.of(new TopicSpec(prefix + "a", 3, Duration.ofDays(1), false),
                new TopicSpec(prefix + "b", 2, null, true));

        ProvisionedTopics first = TopicProvisioner.ensure(admin, specs, (short) 1);
        ProvisionedTopics second = TopicProvisioner.ensure(admin, specs, (short) 1);

        assertThat(first.created()).containsExactly(prefix + "a", prefix + "b");
        assertThat(first.drifts()).isEmpty();
        assertThat(second.created()).isEmpty();
        assertThat(second.drifts()).isEmpty();
        assertThat(admin.describeTopics(List.of(prefix + "a")).allTopicNames().get().get(prefix + "a")
                .partitions()).hasSize(3);
    }

    @Test
    void reportsAnExistingTopicThatDiffersAndLeavesItAsItIs() throws Exception {
        String name = prefix + "drifted";
        admin.createTopics(List.of(new NewTopic(name, 2, (short) 1).configs(Map.of("retention.ms", "1000")))).all().get();

        ProvisionedTopics result =
                TopicProvisioner.ensure(admin, List.of(new TopicSpec(name, 6, Duration.ofDays(7), false)), (short) 1);

        assertThat(result.created()).isEmpty();
        assertThat(result.drifts()).containsExactlyInAnyOrder(
                new TopicDrift(name, "partitions", "6", "2"),
                new TopicDrift(name, "retention.ms", Long.toString(Duration.ofDays(7).toMillis()), "1000"));
        assertThat(result.drifts().get(0).describe()).contains(name).contains("left unchanged");
        assertThat(admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions()).hasSize(2);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
        assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value())
                .isEqualTo("1000");
    }
}
