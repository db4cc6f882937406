package dev.spool.projection.mongo;

import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.util.Date;
import org.bson.Document;

/**
 * Maps a {@link JobView} to its MongoDB document and back. The view itself is stored as the JSON that
 * {@link EventJson} writes, so MongoDB, Redis and Kafka all carry the same shape; the top-level fields exist for
 * queries, sorting and the version guard.
 */
final class JobViewDocuments {

    static final String ID = "_id";

    private JobViewDocuments() {
    }

    static Document toDocument(JobView view) {
        Document document = new Document(ID, view.jobId());
        if (view.ownerId() != null) {
            document.append(ViewStorage.FIELD_OWNER, view.ownerId());
        }
        document.append(ViewStorage.FIELD_STATUS, view.status().wireName());
        if (view.createdAt() != null) {
            document.append(ViewStorage.FIELD_CREATED_AT, Date.from(view.createdAt()));
        }
        document.append(ViewStorage.FIELD_VERSION, view.version());
        document.append(ViewStorage.FIELD_VIEW, Document.parse(EventJson.mapper().writeValueAsString(view)));
        return document;
    }

    static JobView toView(Document document) {
        Document view = document.get(ViewStorage.FIELD_VIEW, Document.class);
        return EventJson.mapper().readValue(view.toJson(), JobView.class);
    }
}
