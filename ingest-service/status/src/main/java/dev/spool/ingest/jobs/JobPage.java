package dev.spool.ingest.jobs;

import dev.spool.schemas.view.JobView;
import java.util.List;

/**
 * One page of a job listing.
 *
 * @param jobs the jobs, newest first
 * @param next where the next page starts, or {@code null} on the last page
 */
public record JobPage(List<JobView> jobs, JobCursor next) {

    public JobPage {
        jobs = List.copyOf(jobs);
    }
}
