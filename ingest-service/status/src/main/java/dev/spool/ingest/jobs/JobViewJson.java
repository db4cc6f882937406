package dev.spool.ingest.jobs;

import dev.spool.ingest.config.StatusProperties;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/** A job view as clients receive it, in status reads and live feeds alike: as stored, plus the text's URL. */
@Component
public class JobViewJson {

    private final StatusProperties status;

    public JobViewJson(StatusProperties status) {
        this.status = status;
    }

    /** The view as the projection wrote it, plus where to download the text once there is one. */
    public ObjectNode of(JobView view) {
        ObjectNode body = EventJson.mapper().valueToTree(view);
        if (view.status() == JobStatus.COMPLETED && body.get("result") instanceof ObjectNode result) {
            result.put("textUrl", status.textUrl(view.jobId()));
        }
        return body;
    }
}
