package dev.spool.processor;

import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topics;
import dev.spool.testsupport.SharedInfra;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Starts a test's processor applications at the end of their input topics. The tests of this module share one broker
 * and Spool's fixed topic names, and each test class runs its applications under an id of its own, which Kafka
 * Streams would start from the earliest offset: every test would process again the jobs all earlier tests left in the
 * tier and retry topics, which cost CI minutes and, with their objects long gone or behind another test's faults,
 * opened the storage breaker under the next test's own jobs.
 */
final class FreshApplications {

    private FreshApplications() {
    }

    /** Commits the log end of each input topic for the tier and retry applications of {@code applicationId}. */
    static void startAtLogEnd(String applicationId) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfra.get().kafkaBootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get();
            Map<String, List<String>> inputs = new LinkedHashMap<>();
            for (Priority tier : Priority.values()) {
                inputs.put(applicationId + "-" + tier.wireName(), List.of(Topics.jobs(tier).name()));
            }
            inputs.put(applicationId + "-retry", existing.stream()
                    .filter(name -> name.startsWith(Topics.Names.RETRY_PREFIX)).toList());
            for (Map.Entry<String, List<String>> application : inputs.entrySet()) {
                List<String> topics = application.getValue().stream().filter(existing::contains).toList();
                if (!topics.isEmpty()) {
                    admin.alterConsumerGroupOffsets(application.getKey(), logEnds(admin, topics)).all().get();
                }
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> logEnds(Admin admin, List<String> topics)
            throws ExecutionException, InterruptedException {
        List<TopicPartition> partitions = new ArrayList<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, description) -> description.partitions()
                .forEach(partition -> partitions.add(new TopicPartition(name, partition.partition()))));
        ListOffsetsResult ends = admin.listOffsets(partitions.stream()
                .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest())));
        return ends.all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, end -> new OffsetAndMetadata(end.getValue().offset())));
    }
}
