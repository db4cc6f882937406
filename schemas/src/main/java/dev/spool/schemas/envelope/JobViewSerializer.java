package dev.spool.schemas.envelope;

import dev.spool.schemas.view.JobView;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a {@link JobView} as the value of {@code spool.job-state}: the view's JSON, with a {@code content-type}
 * header and the view's JSON Schema in {@code ce_dataschema}. A state record is not an event, so it carries no
 * other CloudEvents attributes.
 */
public final class JobViewSerializer implements Serializer<JobView> {

    /** Where the schema of the view is published, as named in {@code ce_dataschema}. */
    public static final String DATA_SCHEMA = "https://spool.dev/schemas/job-view.v1.schema.json";

    @Override
    public byte[] serialize(String topic, JobView view) {
        return view == null ? null : EventJson.mapper().writeValueAsBytes(view);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, JobView view) {
        if (view != null) {
            headers.remove(CloudEventHeaders.CONTENT_TYPE)
                    .add(CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON.getBytes(StandardCharsets.UTF_8));
            headers.remove(CloudEventHeaders.DATA_SCHEMA)
                    .add(CloudEventHeaders.DATA_SCHEMA, DATA_SCHEMA.getBytes(StandardCharsets.UTF_8));
        }
        return serialize(topic, view);
    }
}
