package dev.spool.projection.listener;

import dev.spool.projection.write.ViewWriter;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds every job event, facts and live signals alike, to the view writer. Both topics are read by one listener:
 * they have the same partition count and the range assignor gives a consumer the same partitions of both, so one
 * thread sees all of a job's records. The offset is committed once the listener returns, i.e. after MongoDB has
 * the view; a failure goes to {@link ProjectionErrorHandler}, which retries the record.
 */
@Component
class JobEventListener {

    static final String ID = "spool-projection";

    private static final Logger LOG = LoggerFactory.getLogger(JobEventListener.class);

    private final ViewWriter writer;

    JobEventListener(ViewWriter writer) {
        this.writer = writer;
    }

    @KafkaListener(id = ID, idIsGroup = false, topics = {Topics.JOB_EVENTS, Topics.JOB_PROGRESS})
    void onEvent(ConsumerRecord<String, JobEvent> record) {
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
            writer.write(event);
        }
    }
}
