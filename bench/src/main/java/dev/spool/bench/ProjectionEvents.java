package dev.spool.bench;

import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobProgress;
import dev.spool.schemas.event.JobStarted;
import dev.spool.schemas.event.Stage;
import dev.spool.schemas.topic.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The events the projection folds, for jobs that ingest and the processor would have handled: the accepted and
 * completed facts on {@code spool.job-events}, each batch in a transaction as they write them, and in between the
 * started signal and two progress signals on {@code spool.job-progress}, outside transactions as the processor sends
 * them.
 */
final class ProjectionEvents {

    /** Events each job has: accepted, started, two progress signals, completed. */
    static final int PER_JOB = 5;

    private ProjectionEvents() {
    }

    /** Writes the events of {@code jobs}, {@code perBatch} jobs at a time in the order a job lives them. */
    static void write(String bootstrapServers, List<JobAccepted> jobs, int perBatch) {
        try (KafkaProducer<String, JobEvent> facts = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-facts-" + UUID.randomUUID()),
                Topics.JOB_EVENTS.keySerializer(), Topics.JOB_EVENTS.valueSerializer("/bench/pipeline-throughput"));
                KafkaProducer<String, JobEvent> signals = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                        Topics.JOB_PROGRESS.keySerializer(),
                        Topics.JOB_PROGRESS.valueSerializer("/bench/pipeline-throughput"))) {
            facts.initTransactions();
            for (int from = 0; from < jobs.size(); from += perBatch) {
                List<JobAccepted> batch = jobs.subList(from, Math.min(jobs.size(), from + perBatch));
                Instant startedAt = Instant.now();
                facts.beginTransaction();
                batch.forEach(job -> facts.send(Topics.JOB_EVENTS.record(job.jobId(), job)));
                facts.commitTransaction();
                for (JobAccepted job : batch) {
                    signals.send(Topics.JOB_PROGRESS.record(job.jobId(), new JobStarted(job.jobId(), 1, startedAt)));
                    signals.send(Topics.JOB_PROGRESS.record(job.jobId(),
                            new JobProgress(job.jobId(), 1, Stage.DOWNLOADING, 10, Instant.now())));
                    signals.send(Topics.JOB_PROGRESS.record(job.jobId(),
                            new JobProgress(job.jobId(), 1, Stage.EXTRACTING, 40, Instant.now())));
                }
                signals.flush();
                facts.beginTransaction();
                batch.forEach(job -> facts.send(Topics.JOB_EVENTS.record(job.jobId(),
                        WorkRecords.completed(job, startedAt))));
                facts.commitTransaction();
            }
        }
    }
}
