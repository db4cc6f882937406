package dev.spool.projection.fold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.schemas.event.EventType;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.view.JobView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of folding a poll's events job by job: several jobs' lifecycles, each delivered as the topics would
 * (fact and signal streams interleaved, records redelivered), shuffled into one another and cut into batches at random.
 */
class ViewBatchProperties {

    private final JobViewFold fold = new JobViewFold();

    /**
     * Without redeliveries a batch gives exactly the views of folding event by event, but where a job was replayed: a
     * signal from before the replay, read after it, looks to a batch like a redelivered one (signals carry no replay
     * count, see {@link JobViewFold}), so a batch that starts with it may leave out the run it begins, which takes
     * the view round to where it was; then only the version and update time may differ, and the version only as less.
     */
    @Property(tries = 300)
    void foldingBatchesJobByJobGivesTheViewsOfFoldingEventByEvent(@ForAll("jobs") List<Lifecycle> jobs,
            @ForAll Random random) {
        List<JobEvent> delivered = shuffledTogether(jobs, random, false);

        Map<String, JobView> batched = batchByBatch(delivered, random);
        Map<String, JobView> oneByOne = oneByOne(delivered);

        assertThat(batched).containsOnlyKeys(oneByOne.keySet());
        for (Lifecycle job : jobs) {
            String jobId = job.facts().get(0).jobId();
            if (job.facts().stream().noneMatch(event -> event.type() == EventType.REPLAYED)) {
                assertThat(batched.get(jobId)).isEqualTo(oneByOne.get(jobId));
            } else {
                assertThat(batched.get(jobId)).usingRecursiveComparison().ignoringFields("version", "updatedAt")
                        .isEqualTo(oneByOne.get(jobId));
                assertThat(batched.get(jobId).version()).isLessThanOrEqualTo(oneByOne.get(jobId).version());
            }
        }
    }

    /**
     * With records redelivered, event by event can take a view through a dead letter and its replay again and out
     * at the same view with a new version; a batch leaves out such a run (see {@link JobViewFold#unapplied}), so only
     * the version and update time may differ, and the version only as less.
     */
    @Property(tries = 300)
    void withRedeliveriesFoldingBatchesGivesTheViewsOfFoldingEventByEventButForBookkeeping(
            @ForAll("jobs") List<Lifecycle> jobs, @ForAll Random random) {
        List<JobEvent> delivered = shuffledTogether(jobs, random, true);

        Map<String, JobView> batched = batchByBatch(delivered, random);
        Map<String, JobView> oneByOne = oneByOne(delivered);

        assertThat(batched).containsOnlyKeys(oneByOne.keySet());
        oneByOne.forEach((jobId, view) -> {
            assertThat(batched.get(jobId)).usingRecursiveComparison().ignoringFields("version", "updatedAt")
                    .isEqualTo(view);
            assertThat(batched.get(jobId).version()).isLessThanOrEqualTo(view.version());
        });
    }

    /**
     * A batch read again (after a crash or a rebalance before its offsets were committed) leaves every view as it
     * was. Only where a signal of a replayed run was read before the replay, which the fold cannot tell from a
     * current one, can it take the view round through the replay again, to the same view with a new version.
     */
    @Property(tries = 300)
    void aRedeliveredBatchLeavesEveryViewAsItWasAndWithoutReplaysChangesNothing(@ForAll("jobs") List<Lifecycle> jobs,
            @ForAll Random random) {
        boolean replays = jobs.stream().flatMap(job -> job.facts().stream())
                .anyMatch(event -> event.type() == EventType.REPLAYED);
        Map<String, JobView> views = new HashMap<>();
        for (List<JobEvent> batch : cut(shuffledTogether(jobs, random, true), random)) {
            views.putAll(ViewBatch.of(batch).fold(fold, views));

            Map<String, JobView> again = ViewBatch.of(batch).fold(fold, views);

            again.forEach((jobId, view) -> {
                assertThat(view).as("%s after %s again", jobId, batch).usingRecursiveComparison()
                        .ignoringFields("version", "updatedAt").isEqualTo(views.get(jobId));
                if (!replays) {
                    assertThat(view).as("%s after %s again", jobId, batch).isSameAs(views.get(jobId));
                }
            });
        }
    }

    @Property(tries = 300)
    void aBatchRetriedWholeAfterPartOfItWasWrittenEndsAsIfWrittenOnce(@ForAll("jobs") List<Lifecycle> jobs,
            @ForAll Random random) {
        Map<String, JobView> views = new HashMap<>();
        for (List<JobEvent> batch : cut(shuffledTogether(jobs, random, true), random)) {
            Map<String, JobView> partly = new HashMap<>(views);
            partly.putAll(ViewBatch.of(batch.subList(0, random.nextInt(batch.size() + 1))).fold(fold, views));
            views.putAll(ViewBatch.of(batch).fold(fold, views));

            Map<String, JobView> retried = ViewBatch.of(batch).fold(fold, partly);

            retried.forEach((jobId, view) -> assertThat(view).as("%s after part of %s, then all of it", jobId, batch)
                    .usingRecursiveComparison().ignoringFields("version", "updatedAt").isEqualTo(views.get(jobId)));
        }
    }

    @Property(tries = 100)
    void aBatchKeepsEachJobsEventsInTheOrderRead(@ForAll("jobs") List<Lifecycle> jobs, @ForAll Random random) {
        List<JobEvent> delivered = shuffledTogether(jobs, random, true);

        ViewBatch batch = ViewBatch.of(delivered);

        assertThat(batch.jobIds()).containsExactlyElementsOf(delivered.stream().map(JobEvent::jobId).distinct().toList());
        for (String jobId : batch.jobIds()) {
            assertThat(batch.events(jobId))
                    .containsExactlyElementsOf(delivered.stream().filter(e -> e.jobId().equals(jobId)).toList());
        }
    }

    /** One to four jobs, each with a lifecycle of its own. */
    @Provide
    Arbitrary<List<Lifecycle>> jobs() {
        return Lifecycle.plans().list().ofMinSize(1).ofMaxSize(4)
                .map(plans -> IntStream.range(0, plans.size())
                        .mapToObj(i -> Lifecycle.of("job-" + (i + 1), plans.get(i)))
                        .toList());
    }

    private Map<String, JobView> oneByOne(List<JobEvent> delivered) {
        Map<String, JobView> views = new HashMap<>();
        for (JobEvent event : delivered) {
            views.put(event.jobId(), fold.apply(views.get(event.jobId()), event));
        }
        return views;
    }

    private Map<String, JobView> batchByBatch(List<JobEvent> delivered, Random random) {
        Map<String, JobView> views = new HashMap<>();
        for (List<JobEvent> batch : cut(delivered, random)) {
            views.putAll(ViewBatch.of(batch).fold(fold, views));
        }
        return views;
    }

    /** Every job's events as delivered, merged at random, each job's kept in its delivered order. */
    private static List<JobEvent> shuffledTogether(List<Lifecycle> jobs, Random random, boolean redelivered) {
        List<List<JobEvent>> streams = new ArrayList<>();
        for (Lifecycle job : jobs) {
            streams.add(new ArrayList<>(redelivered ? job.delivered(random) : job.deliveredOnce(random)));
        }
        List<JobEvent> merged = new ArrayList<>();
        while (streams.stream().anyMatch(stream -> !stream.isEmpty())) {
            List<List<JobEvent>> open = streams.stream().filter(stream -> !stream.isEmpty()).toList();
            merged.add(open.get(random.nextInt(open.size())).remove(0));
        }
        return merged;
    }

    /** Consecutive batches of one to twelve events. */
    private static List<List<JobEvent>> cut(List<JobEvent> events, Random random) {
        List<List<JobEvent>> batches = new ArrayList<>();
        int from = 0;
        while (from < events.size()) {
            int to = Math.min(events.size(), from + 1 + random.nextInt(12));
            batches.add(events.subList(from, to));
            from = to;
        }
        return batches;
    }
}
