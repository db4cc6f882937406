package dev.spool.projection.listener;

import dev.spool.projection.live.LiveViewWriter;
import dev.spool.projection.write.ViewWriter;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.Topics;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds every job event, facts and live signals alike, to both writers, each in its own consumer group: the durable
 * writer (MongoDB, {@code spool.job-state}) and the live writer (Redis view and feed). Each group reads both topics
 * with one listener: they have the same partition count and the range assignor gives a consumer the same partitions
 * of both, so one thread sees all of a job's records. An offset is committed once the writer returned; a failure
 * goes to {@link ProjectionErrorHandler}, which retries the record, holding back only that writer.
 */
@Component
class JobEventListener {

    static final String DURABLE_ID = "spool-projection";
    static final String LIVE_ID = "spool-projection-live";

    private static final Logger LOG = LoggerFactory.getLogger(JobEventListener.class);

    private final ViewWriter durable;
    private final LiveViewWriter live;

    JobEventListener(ViewWriter durable, LiveViewWriter live) {
        this.durable = durable;
        this.live = live;
    }

    @KafkaListener(id = DURABLE_ID, idIsGroup = false, topics = {Topics.JOB_EVENTS, Topics.JOB_PROGRESS},
            containerFactory = ListenerConfiguration.DURABLE_FACTORY)
    void onDurableEvent(ConsumerRecord<String, JobEvent> record) {
        handle(record, durable::write);
    }

    @KafkaListener(id = LIVE_ID, idIsGroup = false, topics = {Topics.JOB_EVENTS, Topics.JOB_PROGRESS},
            containerFactory = ListenerConfiguration.LIVE_FACTORY)
    void onLiveEvent(ConsumerRecord<String, JobEvent> record) {
        handle(record, live::write);
    }

    private static void handle(ConsumerRecord<String, JobEvent> record, Consumer<JobEvent> writer) {
        JobEvent event = record.value();
        if (event == null) {
            // an event type this version does not know (the deserializer counted and logged it) or a tombstone
            return;
        }
        if (event.jobId() == null || event.jobId().isBlank()) {
            LOG.warn("Skipping {} without a job id at {}-{}@{}", event.type(), record.topic(), record.partition(),
                    record.offset());
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", event.jobId())) {
            writer.accept(event);
        }
    }
}
