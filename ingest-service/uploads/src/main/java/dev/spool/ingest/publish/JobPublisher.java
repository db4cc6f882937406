package dev.spool.ingest.publish;

import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobDeleted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobReplayed;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.topic.WorkRecordHeaders;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Makes jobs exist: writes each acceptance to its tier topic (as work) and to the job-events topic (as a fact) in one
 * Kafka transaction, so that consumers reading committed records see both or neither.
 */
@Component
public class JobPublisher implements DisposableBean {

    private final KafkaTemplate<String, JobEvent> template;
    private final GroupCommit<Acceptance> acceptances;
    private final long inlineDocumentMax;
    private final Timer commits;
    private final DistributionSummary batches;

    public JobPublisher(KafkaTemplate<String, JobEvent> template, PublishProperties properties, MeterRegistry meters) {
        this.template = template;
        this.commits = Timer.builder("spool.ingest.publish.commit")
                .description("Kafka transactions that made accepted uploads jobs, from begin to commit or abort")
                .publishPercentileHistogram()
                .register(meters);
        this.batches = DistributionSummary.builder("spool.ingest.publish.batch")
                .description("Jobs per Kafka transaction")
                .baseUnit("jobs")
                .register(meters);
        this.acceptances = new GroupCommit<>("job-publisher", this::commit, properties.transactions(),
                properties.maxBatch());
        this.inlineDocumentMax = properties.inlineDocumentMax().toBytes();
    }

    /**
     * Completes once a transaction holding every job in {@code jobs} has committed. Uploads that finish together
     * share a transaction: one commit costs the broker several round trips, so committing each upload on its own
     * would cap how many uploads an instance accepts per second.
     */
    public Mono<Void> publish(List<Acceptance> jobs) {
        return Mono.fromFuture(() -> acceptances.submit(jobs), true);
    }

    private void commit(List<Acceptance> jobs) {
        batches.record(jobs.size());
        commits.record(() -> template.executeInTransaction(operations -> {
            for (Acceptance acceptance : jobs) {
                JobAccepted job = acceptance.job();
                operations.send(workRecord(acceptance));
                operations.send(Topics.JOB_EVENTS.record(job.jobId(), job));
            }
            return jobs.size();
        }));
    }

    /** The job on its tier topic, with its document when that is small enough to travel with it. */
    private ProducerRecord<String, JobEvent> workRecord(Acceptance acceptance) {
        JobAccepted job = acceptance.job();
        RecordHeaders headers = new RecordHeaders();
        byte[] document = acceptance.document();
        if (document != null && document.length <= inlineDocumentMax) {
            headers.add(WorkRecordHeaders.DOCUMENT, document);
        }
        return Topics.jobs(job.priority()).record(job.jobId(), job, headers);
    }

    /**
     * Starts a transactional producer (its id registered with the broker) and fetches the partitions of every topic a
     * job is written to, so that the first upload pays for neither. Blocks; fails as a transaction would.
     */
    public void warmUp() {
        template.executeInTransaction(operations -> {
            Topics.jobTopics().forEach(topic -> operations.partitionsFor(topic.name()));
            return operations.partitionsFor(Topics.JOB_EVENTS.name()).size();
        });
    }

    @Override
    public void destroy() {
        acceptances.close();
    }

    /**
     * Sends a dead-lettered job back: its work record to its tier topic and the {@code replayed} fact to the
     * job-events topic, in one transaction.
     */
    public Mono<Void> replay(JobAccepted work, JobReplayed fact) {
        return Mono.fromRunnable(() -> template.executeInTransaction(operations -> {
            operations.send(Topics.jobs(work.priority()).record(work.jobId(), work));
            operations.send(Topics.JOB_EVENTS.record(fact.jobId(), fact));
            return 1;
        })).subscribeOn(Schedulers.boundedElastic()).then();
    }

    /**
     * Publishes a job's {@code deleted} fact to the job-events topic; committed when it completes. In a transaction
     * like every fact, so that {@code read_committed} consumers see it in order with the job's other facts.
     */
    public Mono<Void> deleted(JobDeleted fact) {
        return Mono.fromRunnable(() -> template.executeInTransaction(operations -> {
            operations.send(Topics.JOB_EVENTS.record(fact.jobId(), fact));
            return 1;
        })).subscribeOn(Schedulers.boundedElastic()).then();
    }
}
