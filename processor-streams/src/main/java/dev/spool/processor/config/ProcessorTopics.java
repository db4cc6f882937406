package dev.spool.processor.config;

import dev.spool.schemas.topic.TopicSpec;
import dev.spool.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.config.TopicBuilder;

/** Every topic the processor reads or writes, as Spring's KafkaAdmin creates them. */
public final class ProcessorTopics {

    private ProcessorTopics() {
    }

    /** The tier topics, the committed facts, and the processor's own retry, dead-letter and progress topics. */
    public static List<NewTopic> all(int replicationFactor) {
        List<TopicSpec> specs = new ArrayList<>(Topics.jobTopics());
        specs.add(Topics.jobEvents());
        specs.addAll(Topics.processorTopics(Topics.DEFAULT_RETRIES));
        return specs.stream().map(spec -> newTopic(spec, replicationFactor)).toList();
    }

    private static NewTopic newTopic(TopicSpec spec, int replicationFactor) {
        return TopicBuilder.name(spec.name())
                .partitions(spec.partitions())
                .replicas(replicationFactor)
                .configs(spec.configs())
                .build();
    }
}
