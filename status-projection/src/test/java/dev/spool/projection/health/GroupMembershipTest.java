package dev.spool.projection.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spool.testsupport.SharedInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;

/** A listener container on the real broker counts as joined only once each of its consumers had its assignment. */
class GroupMembershipTest {

    @Test
    void aContainerHasJoinedOnceEveryConsumerHadItsAssignmentEvenAnEmptyOne() throws Exception {
        String topic = "membership-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfra.get().kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        ContainerProperties properties = new ContainerProperties(topic);
        properties.setGroupId("membership-" + UUID.randomUUID());
        properties.setMessageListener((MessageListener<String, String>) record -> { });
        ConcurrentMessageListenerContainer<String, String> container = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.get().kafkaBootstrapServers()),
                        new StringDeserializer(), new StringDeserializer()), properties);
        container.setBeanName("membership-test");
        // two consumers, one partition: one of them is assigned nothing, and has joined all the same
        container.setConcurrency(2);
        GroupMembership membership = new GroupMembership();
        membership.watch(container);

        assertThat(membership.hasJoined(container)).as("before it starts").isFalse();
        container.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> membership.hasJoined(container));
            assertThat(container.getAssignedPartitions()).hasSize(1);
        } finally {
            container.stop();
        }
    }
}
