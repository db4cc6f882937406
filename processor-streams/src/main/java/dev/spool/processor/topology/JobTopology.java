package dev.spool.processor.topology;

import dev.spool.processor.extraction.JobProcessing;
import dev.spool.schemas.envelope.JobEventDeserializer;
import dev.spool.schemas.envelope.JobEventSerializer;
import dev.spool.processor.extraction.AttemptOutcome;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobFailed;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.Topics;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The processor topology: every job from the three tier topics is processed once and its outcome fact is
 * written to {@code spool.job-events}, atomically with the input offsets under exactly-once.
 */
public final class JobTopology {

    /** The CloudEvents {@code source} of everything the processor writes. */
    public static final String SOURCE = "/spool/processor-streams";

    private JobTopology() {
    }

    /** The Serde of Spool events as the processor reads and writes them. */
    public static Serde<JobEvent> eventSerde() {
        return Serdes.serdeFrom(new JobEventSerializer(SOURCE), new JobEventDeserializer());
    }

    public static Topology build(JobProcessing processing) {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<JobEvent> events = eventSerde();
        // One source per tier keeps each tier's partitions (and so its lag) separate.
        for (String tier : List.of(Topics.JOBS_HIGH, Topics.JOBS_NORMAL, Topics.JOBS_LOW)) {
            builder.stream(tier, Consumed.with(Serdes.String(), events).withName("read-" + tier))
                    // An event type this version does not know decodes to null; it is not work for us.
                    .filter((jobId, event) -> event instanceof JobAccepted, Named.as("accepted-" + tier))
                    .mapValues(event -> fact((JobAccepted) event, processing.process((JobAccepted) event)),
                            Named.as("process-" + tier))
                    .to(Topics.JOB_EVENTS, Produced.with(Serdes.String(), events).withName("facts-" + tier));
        }
        return builder.build();
    }

    private static JobEvent fact(JobAccepted job, AttemptOutcome outcome) {
        if (outcome instanceof AttemptOutcome.Completed completed) {
            return completed.fact();
        }
        AttemptOutcome.Failed failed = (AttemptOutcome.Failed) outcome;
        return new JobFailed(job.jobId(), job.attempt(), failed.error(), failed.failedAt());
    }
}
