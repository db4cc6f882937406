package dev.spool.processor.analytics;

import dev.spool.schemas.analytics.JobStats;
import dev.spool.schemas.envelope.CloudEventHeaders;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobDeleted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The analytics application: folds the committed facts of {@code spool.job-events} into per-window statistics on
 * {@code spool.analytics.job-stats}. Each job's acceptance goes into a table (type, tier, bytes); each terminal fact
 * is joined with it and counted in the window of its record time, in one group for the whole system; a deletion
 * removes the job from the table, so an outcome after it is not counted. A window is
 * published once, when stream time passes its end plus the grace period, so late facts within the grace still
 * count. Stream time here is the time of outcomes, so a window is published when a later job ends: with no job
 * ending, the last window waits.
 */
public final class JobStatsTopology {

    /** Key of the single group every outcome is counted in. */
    static final String ALL = "all";
    static final String ACCEPTED_STORE = "accepted-jobs";
    static final String WINDOW_STORE = "job-stats";

    /** The CloudEvents {@code source} of the events this application writes to its own internal topics. */
    static final String SOURCE = "/spool/processor-streams/analytics";

    private JobStatsTopology() {
    }

    public static Topology build(Duration window, Duration grace) {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<JobEvent> events = Topics.JOB_EVENTS.valueSerde(SOURCE);
        Serde<AcceptedJob> acceptedSerde = JsonSerde.of(AcceptedJob.class);
        KStream<String, JobEvent> facts = builder.stream(Topics.JOB_EVENTS.name(),
                Consumed.with(Topics.JOB_EVENTS.keySerde(), events));
        KTable<String, AcceptedJob> accepted = facts
                .filter((jobId, event) -> event instanceof JobAccepted || event instanceof JobDeleted)
                // A deletion removes the job's entry (a null value is the table's tombstone), so nothing of the job
                // stays in the store, and an outcome the processor reports after the deletion finds no entry to join.
                .mapValues(event -> event instanceof JobAccepted job ? AcceptedJob.of(job) : null)
                .toTable(Materialized.<String, AcceptedJob, KeyValueStore<Bytes, byte[]>>as(ACCEPTED_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(acceptedSerde));
        facts.filter((jobId, event) -> JobOutcome.isTerminal(event))
                .join(accepted, JobOutcome::of, Joined.with(Serdes.String(), events, acceptedSerde))
                .groupBy((jobId, outcome) -> ALL, Grouped.with("job-outcomes", Serdes.String(),
                        JsonSerde.of(JobOutcome.class)))
                .windowedBy(TimeWindows.ofSizeAndGrace(window, grace))
                .aggregate(JobStatsWindow::empty, (key, outcome, stats) -> stats.add(outcome),
                        Materialized.<String, JobStatsWindow, WindowStore<Bytes, byte[]>>as(WINDOW_STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(JsonSerde.of(JobStatsWindow.class)))
                // One window per key is open at a time, so the buffer holds a handful of small aggregates.
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
                .toStream()
                .map((windowed, stats) -> KeyValue.pair(windowed.window().startTime().toString(),
                        stats.toStats(windowed.window().startTime(), windowed.window().endTime())))
                .processValues(ContractHeaders::new)
                .to(Topics.ANALYTICS_JOB_STATS.name(), Produced.with(Topics.ANALYTICS_JOB_STATS.keySerde(),
                        Topics.ANALYTICS_JOB_STATS.valueSerde(SOURCE)));
        return builder.build();
    }

    /** Puts the value's media type and schema on every record, as downstream consumers of the contract expect. */
    private static final class ContractHeaders implements FixedKeyProcessor<String, JobStats, JobStats> {

        private FixedKeyProcessorContext<String, JobStats> context;

        @Override
        public void init(FixedKeyProcessorContext<String, JobStats> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, JobStats> record) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON.getBytes(StandardCharsets.UTF_8));
            headers.add(CloudEventHeaders.DATA_SCHEMA, JobStats.DATA_SCHEMA.getBytes(StandardCharsets.UTF_8));
            context.forward(record.withHeaders(headers));
        }
    }
}
