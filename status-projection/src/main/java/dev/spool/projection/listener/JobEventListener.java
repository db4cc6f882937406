package dev.spool.projection.listener;

import dev.spool.projection.live.LiveViewWriter;
import dev.spool.projection.write.ViewWriter;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

/**
 * Feeds every job event, facts and live signals alike, to both writers, each in its own consumer group: the durable
 * writer (MongoDB, {@code spool.job-state}) and the live writer (Redis view and feed). Each group reads both topics
 * with one listener: they have the same partition count and the range assignor gives a consumer the same partitions
 * of both, so one thread sees all of a job's records. Records come in batches of one poll; the batch's offsets are
 * committed once the writer returned; a failure goes to {@link ProjectionErrorHandler}, which retries the whole batch,
 * holding back only that writer.
 */
@Component
class JobEventListener {

    static final String DURABLE_ID = "spool-projection";
    static final String LIVE_ID = "spool-projection-live";

    private static final Logger LOG = LoggerFactory.getLogger(JobEventListener.class);
    private static final LogAccessor HEADER_LOG = new LogAccessor(JobEventListener.class);

    private final ViewWriter durable;
    private final LiveViewWriter live;

    JobEventListener(ViewWriter durable, LiveViewWriter live) {
        this.durable = durable;
        this.live = live;
    }

    @KafkaListener(id = DURABLE_ID, idIsGroup = false, topics = {Topics.Names.JOB_EVENTS, Topics.Names.JOB_PROGRESS},
            containerFactory = ListenerConfiguration.DURABLE_FACTORY)
    void onDurableEvents(List<ConsumerRecord<String, JobEvent>> records) {
        durable.write(events(records));
    }

    @KafkaListener(id = LIVE_ID, idIsGroup = false, topics = {Topics.Names.JOB_EVENTS, Topics.Names.JOB_PROGRESS},
            containerFactory = ListenerConfiguration.LIVE_FACTORY)
    void onLiveEvents(List<ConsumerRecord<String, JobEvent>> records) {
        live.write(events(records));
    }

    /** The batch's events that a writer can fold, in the order read. */
    private static List<JobEvent> events(List<ConsumerRecord<String, JobEvent>> records) {
        List<JobEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, JobEvent> record : records) {
            JobEvent event = record.value();
            if (event == null) {
                skipUndecoded(record);
            } else if (event.jobId() == null || event.jobId().isBlank()) {
                LOG.warn("Skipping {} without a job id at {}-{}@{}", event.type(), record.topic(), record.partition(),
                        record.offset());
            } else {
                events.add(event);
            }
        }
        return events;
    }

    /**
     * A batch listener receives a record that could not be decoded (a poison pill) with no value and the error in a
     * header, where a record listener's error handler would have been called; it is logged and skipped alike. No
     * value and no error is an event type this version does not know (the deserializer counted and logged it) or a
     * tombstone.
     */
    private static void skipUndecoded(ConsumerRecord<String, JobEvent> record) {
        if (record.headers().lastHeader(KafkaUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) == null) {
            return;
        }
        DeserializationException error = SerializationUtils.getExceptionFromHeader(record,
                KafkaUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, HEADER_LOG);
        String cause = error == null ? "undecodable" : ProjectionErrorHandler.rootCause(error).toString();
        LOG.warn("Skipping record {}-{}@{} (key {}) that cannot be processed: {}", record.topic(), record.partition(),
                record.offset(), record.key(), cause);
    }
}
