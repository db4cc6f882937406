package dev.spool.ingest.feed;

import dev.spool.schemas.view.FeedKind;
import dev.spool.schemas.view.JobView;

/**
 * One event of a job's live feed.
 *
 * @param id the feed entry id, sent as the SSE {@code id} so that a client resumes after it; {@code null} for a
 *     snapshot taken when the job has no feed (yet, or any more)
 * @param kind what happened
 * @param view the job's view after it
 */
public record FeedEvent(String id, FeedKind kind, JobView view) {
}
