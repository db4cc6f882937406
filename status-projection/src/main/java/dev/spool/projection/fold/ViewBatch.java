package dev.spool.projection.fold;

import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.view.JobView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The events of one poll grouped by job, each job's in the order they were read. Jobs never affect one another, so
 * folding each job's events on its own gives the very views that folding the poll one event at a time would.
 */
public final class ViewBatch {

    private final Map<String, List<JobEvent>> eventsByJob;

    private ViewBatch(Map<String, List<JobEvent>> eventsByJob) {
        this.eventsByJob = eventsByJob;
    }

    /** Groups {@code events}, which must all have a job id. */
    public static ViewBatch of(List<JobEvent> events) {
        Map<String, List<JobEvent>> byJob = new LinkedHashMap<>();
        for (JobEvent event : events) {
            byJob.computeIfAbsent(event.jobId(), jobId -> new ArrayList<>()).add(event);
        }
        byJob.replaceAll((jobId, jobEvents) -> List.copyOf(jobEvents));
        return new ViewBatch(Collections.unmodifiableMap(byJob));
    }

    /** The jobs with events in this batch, in the order each first appeared. */
    public Set<String> jobIds() {
        return eventsByJob.keySet();
    }

    /** One job's events, in the order read; empty for a job not in the batch. */
    public List<JobEvent> events(String jobId) {
        return eventsByJob.getOrDefault(jobId, List.of());
    }

    /**
     * Folds each job's events onto its view in {@code views} (none when missing).
     *
     * @return each job's view after the batch; the very instance from {@code views} when the batch changed nothing
     */
    public Map<String, JobView> fold(JobViewFold fold, Map<String, JobView> views) {
        Map<String, JobView> after = new LinkedHashMap<>();
        eventsByJob.forEach((jobId, events) -> after.put(jobId, fold.applyAll(views.get(jobId), events)));
        return after;
    }
}
