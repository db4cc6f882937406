package dev.spool.processor.config;

import dev.spool.schemas.topic.TopicSpec;
import dev.spool.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.List;

/** Every topic the processor reads or writes, so that all exist before Streams subscribes. */
public final class ProcessorTopics {

    private ProcessorTopics() {
    }

    /** The tier topics, the committed facts, and the processor's own retry, dead-letter and progress topics. */
    public static List<TopicSpec> specs(int retries) {
        List<TopicSpec> specs = new ArrayList<>(Topics.specs(Topics.jobTopics()));
        specs.add(Topics.JOB_EVENTS.spec());
        specs.addAll(Topics.processorTopics(retries));
        return List.copyOf(specs);
    }
}
