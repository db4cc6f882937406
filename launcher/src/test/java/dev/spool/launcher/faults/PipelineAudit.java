package dev.spool.launcher.faults;

import dev.spool.projection.fold.JobViewFold;
import dev.spool.schemas.event.EventType;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.view.JobView;
import dev.spool.testsupport.fault.FaultInjectingProxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Compares what the pipeline holds with what the clients were told: every accepted job against its facts, its text,
 * its upload and its two views, each view against the projection's own fold of the job's events.
 */
public final class PipelineAudit {

    private static final String UPLOAD_BUCKET = "spool-uploads";
    private static final String TEXT_BUCKET = "spool-text";
    private static final String UPLOAD_PREFIX = "uploads/";
    private static final String TEXT_PREFIX = "text/";

    private final Set<String> accepted;
    private final EventLog events;
    private final ViewStores views;
    private final S3Client s3;
    private final JobViewFold fold = new JobViewFold();

    public PipelineAudit(Collection<String> accepted, EventLog events, ViewStores views, S3Client s3) {
        this.accepted = Set.copyOf(accepted);
        this.events = events;
        this.views = views;
        this.s3 = s3;
    }

    /** Accepted jobs without a completed, failed or dead-lettered fact. */
    public List<String> notTerminal() {
        return accepted.stream().filter(jobId -> !events.isTerminal(jobId)).sorted().toList();
    }

    /** How the accepted jobs ended, and how often they were retried. */
    public Outcomes outcomes() {
        List<List<JobEvent>> facts = accepted.stream().map(events::facts).toList();
        return new Outcomes(
                facts.stream().filter(job -> last(job) == EventType.COMPLETED).count(),
                facts.stream().filter(job -> last(job) == EventType.FAILED).count(),
                facts.stream().filter(job -> last(job) == EventType.DEAD_LETTERED).count(),
                facts.stream().flatMap(List::stream).filter(event -> event.type() == EventType.RETRY_SCHEDULED).count(),
                facts.stream().filter(job -> job.stream().anyMatch(event -> event.type() == EventType.RETRY_SCHEDULED))
                        .count());
    }

    private static EventType last(List<JobEvent> facts) {
        return facts.isEmpty() ? null : facts.get(facts.size() - 1).type();
    }

    /** Jobs with facts that no client was answered 202 for: a refused upload that became a job all the same. */
    public List<String> unknownJobs() {
        return events.jobsWithFacts().stream().filter(jobId -> !accepted.contains(jobId)).sorted().toList();
    }

    /** Completed jobs whose number of completed facts is not one, with that number. */
    public Map<String, Long> completionsNotOnce() {
        return countsNotOne(completedJobs(), jobId -> events.facts(jobId).stream()
                .filter(event -> event.type() == EventType.COMPLETED).count());
    }

    /** Completed jobs whose number of text objects is not one, with that number. */
    public Map<String, Long> textsNotOnce() {
        Map<String, Long> texts = objectsByJob(TEXT_BUCKET, TEXT_PREFIX);
        return countsNotOne(completedJobs(), jobId -> texts.getOrDefault(jobId, 0L));
    }

    /**
     * Completed jobs whose text was written by more calls than the job had runs, or by none, each with its writes
     * and runs. A text's key is its job's, so a second write replaces the first and a listing shows one object
     * either way; {@code writes} are what the proxy in front of S3 forwarded and S3 accepted, so they show both. One
     * call that the SDK retried is one write. A run is a {@code started} signal. Signals are sent outside the
     * transaction and are not waited for, so the signal of a run can be lost while its text is written: with the
     * process, when a SIGKILL cuts the run off, and with the broker, when a restart aborts the run's transaction
     * (the run is then done again). So each of {@code interruptions} (processor kills and broker stops) between the
     * job's first write and its completion counts as one more run.
     */
    public Map<String, String> textWritesBeyondRuns(List<FaultInjectingProxy.ObjectWrite> writes,
            List<Instant> interruptions) {
        Map<String, Map<String, Instant>> callsByJob = new HashMap<>();
        for (FaultInjectingProxy.ObjectWrite write : writes) {
            String prefix = "/" + TEXT_BUCKET + "/" + TEXT_PREFIX;
            if (write.path().startsWith(prefix)) {
                // a client that names no call: each write its own
                String call = write.invocation() == null ? UUID.randomUUID().toString() : write.invocation();
                callsByJob.computeIfAbsent(jobIdOf(write.path().substring(prefix.length())), id -> new HashMap<>())
                        .merge(call, write.at(), (first, later) -> first.isBefore(later) ? first : later);
            }
        }
        Map<String, String> beyond = new LinkedHashMap<>();
        for (String jobId : completedJobs()) {
            Map<String, Instant> calls = callsByJob.getOrDefault(jobId, Map.of());
            long started = events.signals(jobId).stream().filter(event -> event.type() == EventType.STARTED).count();
            Instant firstWrite = calls.values().stream().min(Instant::compareTo).orElse(null);
            Instant completedAt = events.facts(jobId).stream().filter(event -> event.type() == EventType.COMPLETED)
                    .map(JobEvent::occurredAt).findFirst().orElse(null);
            long interruptedRuns = firstWrite == null || completedAt == null ? 0 : interruptions.stream()
                    .filter(at -> !at.isBefore(firstWrite) && !at.isAfter(completedAt)).count();
            if (calls.isEmpty() || calls.size() > started + interruptedRuns) {
                beyond.put(jobId, calls.size() + " writes, " + started + " started signals, " + interruptedRuns
                        + " processor kills or broker stops while it ran");
            }
        }
        return beyond;
    }

    /** Text objects of jobs that did not complete. */
    public List<String> textsWithoutCompletion() {
        Set<String> completed = Set.copyOf(completedJobs());
        return objectsByJob(TEXT_BUCKET, TEXT_PREFIX).keySet().stream()
                .filter(jobId -> !completed.contains(jobId)).sorted().toList();
    }

    /** Objects under the uploads prefix that belong to no accepted job. */
    public List<String> orphanUploads() {
        return keys(UPLOAD_BUCKET, UPLOAD_PREFIX).stream()
                .filter(key -> !accepted.contains(key.substring(UPLOAD_PREFIX.length()))).sorted().toList();
    }

    /** Multipart uploads never completed nor aborted, in either bucket. */
    public List<String> openMultipartUploads() {
        List<String> open = new ArrayList<>();
        for (String bucket : List.of(UPLOAD_BUCKET, TEXT_BUCKET)) {
            s3.listMultipartUploadsPaginator(request -> request.bucket(bucket)).uploads()
                    .forEach(upload -> open.add(bucket + "/" + upload.key() + " (" + upload.uploadId() + ")"));
        }
        return open;
    }

    /** Accepted jobs whose MongoDB view differs from the fold of their events, each with both views. */
    public Map<String, String> mongoViewsNotFolded() {
        return differences(views.mongoViews(accepted));
    }

    /** Accepted jobs whose Redis view differs from the fold of their events, each with both views. */
    public Map<String, String> redisViewsNotFolded() {
        return differences(views.redisViews(accepted));
    }

    private Map<String, String> differences(Map<String, JobView> stored) {
        Map<String, String> differences = new LinkedHashMap<>();
        for (String jobId : accepted.stream().sorted().toList()) {
            JobView folded = folded(jobId);
            JobView expected = folded == null ? null : state(folded);
            JobView actual = stored.containsKey(jobId) ? state(stored.get(jobId)) : null;
            if (expected == null || !expected.equals(actual)) {
                differences.put(jobId, "stored " + actual + "\n  fold   " + expected);
            }
        }
        return differences;
    }

    /**
     * The fold of the job's events in the order they happened: facts in their committed order, each signal before
     * the first fact that is not older than it. The projection reads the two topics at its own pace, but the fold
     * gives facts the last word, so that order leads to the same final state.
     */
    private JobView folded(String jobId) {
        List<JobEvent> facts = events.facts(jobId);
        List<JobEvent> signals = events.signals(jobId);
        JobView view = null;
        int signal = 0;
        for (JobEvent fact : facts) {
            while (signal < signals.size() && !signals.get(signal).occurredAt().isAfter(fact.occurredAt())) {
                view = fold.apply(view, signals.get(signal++));
            }
            view = fold.apply(view, fact);
        }
        while (signal < signals.size()) {
            view = fold.apply(view, signals.get(signal++));
        }
        return view;
    }

    /**
     * The view without its bookkeeping: {@code version} counts the changes a writer saw and {@code updatedAt} is the
     * time of the latest of them, and both depend on how the two topics interleaved at that writer.
     */
    private static JobView state(JobView view) {
        return new JobView(view.jobId(), view.ownerId(), view.filename(), view.size(), view.sha256(),
                view.contentType(), view.priority(), view.status(), view.stage(), view.progress(), view.attempts(),
                view.deadLettered(), view.createdAt(), view.startedAt(), view.completedAt(), view.processingMillis(),
                view.result(), view.error(), 0, null);
    }

    private List<String> completedJobs() {
        return accepted.stream().filter(jobId -> last(events.facts(jobId)) == EventType.COMPLETED).sorted().toList();
    }

    private static Map<String, Long> countsNotOne(List<String> jobIds, Function<String, Long> count) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String jobId : jobIds) {
            long n = count.apply(jobId);
            if (n != 1) {
                counts.put(jobId, n);
            }
        }
        return counts;
    }

    private Map<String, Long> objectsByJob(String bucket, String prefix) {
        return keys(bucket, prefix).stream()
                .map(key -> key.substring(prefix.length()))
                // text/{jobId}.txt.gz: any other object named after the job counts as another text of it
                .map(PipelineAudit::jobIdOf)
                .collect(Collectors.groupingBy(jobId -> jobId, Collectors.counting()));
    }

    private static String jobIdOf(String name) {
        return name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    }

    private List<String> keys(String bucket, String prefix) {
        Set<String> keys = new HashSet<>();
        s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).forEach(keys::add);
        return List.copyOf(keys);
    }

    /**
     * How the accepted jobs ended.
     *
     * @param completed jobs whose last fact is completed
     * @param failed jobs whose last fact is failed (a permanent error)
     * @param deadLettered jobs whose last fact is dead-lettered
     * @param retryScheduledFacts retry-scheduled facts in all
     * @param jobsRetried jobs with at least one retry-scheduled fact
     */
    public record Outcomes(long completed, long failed, long deadLettered, long retryScheduledFacts, long jobsRetried) {
    }
}
