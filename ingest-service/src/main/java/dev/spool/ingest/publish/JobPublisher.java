package dev.spool.ingest.publish;

import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobReplayed;
import dev.spool.schemas.topic.Topics;
import java.util.List;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Makes jobs exist: writes each acceptance to its tier topic (as work) and to the job-events topic (as a fact) in one
 * Kafka transaction, so that consumers reading committed records see both or neither.
 */
@Component
public class JobPublisher {

    private final KafkaTemplate<String, JobEvent> template;

    public JobPublisher(KafkaTemplate<String, JobEvent> template) {
        this.template = template;
    }

    /** Completes once the transaction holding every job in {@code jobs} has committed. */
    public Mono<Void> publish(List<JobAccepted> jobs) {
        // The transaction API blocks (begin, commit), so it runs on a worker thread, never on the event loop.
        return Mono.fromRunnable(() -> template.executeInTransaction(operations -> {
            for (JobAccepted job : jobs) {
                operations.send(job.priority().topic(), job.jobId(), job);
                operations.send(Topics.JOB_EVENTS, job.jobId(), job);
            }
            return jobs.size();
        })).subscribeOn(Schedulers.boundedElastic()).then();
    }

    /**
     * Sends a dead-lettered job back: its work record to its tier topic and the {@code replayed} fact to the
     * job-events topic, in one transaction.
     */
    public Mono<Void> replay(JobAccepted work, JobReplayed fact) {
        return Mono.fromRunnable(() -> template.executeInTransaction(operations -> {
            operations.send(work.priority().topic(), work.jobId(), work);
            operations.send(Topics.JOB_EVENTS, fact.jobId(), fact);
            return 1;
        })).subscribeOn(Schedulers.boundedElastic()).then();
    }
}
