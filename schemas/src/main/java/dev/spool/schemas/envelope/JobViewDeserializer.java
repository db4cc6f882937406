package dev.spool.schemas.envelope;

import dev.spool.schemas.view.JobView;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads a {@code spool.job-state} value; a tombstone (a job whose state was removed) reads as {@code null}. */
public final class JobViewDeserializer implements Deserializer<JobView> {

    @Override
    public JobView deserialize(String topic, byte[] data) {
        return data == null ? null : EventJson.mapper().readValue(data, JobView.class);
    }
}
