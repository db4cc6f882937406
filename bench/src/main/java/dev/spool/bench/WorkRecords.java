package dev.spool.bench;

import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.topic.WorkRecordHeaders;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Jobs made the way ingest makes them, without HTTP: each {@link LoadDocument} stored in the uploads bucket under
 * {@code uploads/<jobId>}, and its {@code job.accepted} record written to its tier topic and to
 * {@code spool.job-events} in one Kafka transaction, with the CloudEvents headers of the schemas serializer.
 */
final class WorkRecords implements AutoCloseable {

    private static final String KEY_PREFIX = "uploads/";
    private static final String OWNER = "bench-user";
    private static final int S3_THREADS = 8;
    private static final int INLINE_DOCUMENT_MAX = 64 * 1024;

    private final KafkaProducer<String, JobEvent> producer;

    WorkRecords(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-ingest-" + UUID.randomUUID()),
                // The tier topics and the facts share one format.
                Topics.JOB_EVENTS.keySerializer(), Topics.JOB_EVENTS.valueSerializer("/bench/pipeline-throughput"));
        producer.initTransactions();
    }

    /** Jobs {@code first} to {@code first + count - 1} as ingest would accept them, their documents not stored yet. */
    static List<JobAccepted> jobs(int first, int count) {
        return jobs(first, count, LoadDocument.TEXT);
    }

    /** The same, on documents of {@code kind}. */
    static List<JobAccepted> jobs(int first, int count, LoadDocument kind) {
        List<JobAccepted> jobs = new ArrayList<>(count);
        for (int number = first; number < first + count; number++) {
            jobs.add(job(UUID.randomUUID().toString(), number, kind));
        }
        return jobs;
    }

    /** Another job on the stored document of {@code template}, as a retry or a duplicate upload reads one. */
    static JobAccepted sameDocument(JobAccepted template) {
        return new JobAccepted(UUID.randomUUID().toString(), template.ownerId(), template.filename(), template.size(),
                template.sha256(), template.contentType(), template.declaredContentType(), template.priority(),
                template.bucket(), template.objectKey(), 1, Instant.now());
    }

    private static JobAccepted job(String jobId, int number, LoadDocument kind) {
        byte[] document = kind.bytes(number);
        return new JobAccepted(jobId, OWNER, kind.filename(number), document.length, sha256(document),
                kind.contentType(), kind.contentType(), Priority.NORMAL, DirectS3Upload.BUCKET, KEY_PREFIX + jobId, 1,
                Instant.now());
    }

    /**
     * A normal-tier job on {@code document}, stored in S3 now. Its work record never carries it: only load documents
     * travel with their work here, and a document of its own is larger than ingest lets travel anyway.
     */
    static JobAccepted stored(S3Client s3, String filename, String contentType, byte[] document) {
        String jobId = UUID.randomUUID().toString();
        JobAccepted job = new JobAccepted(jobId, OWNER, filename, document.length, sha256(document), contentType,
                contentType, Priority.NORMAL, DirectS3Upload.BUCKET, KEY_PREFIX + jobId, 1, Instant.now());
        s3.putObject(request -> request.bucket(job.bucket()).key(job.objectKey()).contentType(contentType)
                .contentLength((long) document.length), RequestBody.fromBytes(document));
        return job;
    }

    /** Stores each job's document, the one its filename names. */
    static void store(S3Client s3, List<JobAccepted> jobs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(S3_THREADS);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (JobAccepted job : jobs) {
                byte[] document = document(job);
                puts.add(pool.submit(() -> s3.putObject(request -> request.bucket(job.bucket()).key(job.objectKey())
                        .contentType(job.contentType()).contentLength((long) document.length),
                        RequestBody.fromBytes(document))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Writes the jobs as ingest's group commit does, {@code perTransaction} jobs in each transaction, each work record
     * with its document when that is no larger than ingest's default {@code spool.ingest.publish.inline-document-max}.
     */
    void accept(List<JobAccepted> jobs, int perTransaction) {
        transact(jobs, perTransaction, job -> List.of(workRecord(job, null),
                Topics.JOB_EVENTS.record(job.jobId(), job)));
    }

    /** As {@link #accept}, with every work record in {@code partition} of its tier topic: queued one behind another. */
    void acceptInPartition(List<JobAccepted> jobs, int perTransaction, int partition) {
        transact(jobs, perTransaction, job -> List.of(workRecord(job, partition),
                Topics.JOB_EVENTS.record(job.jobId(), job)));
    }

    /** The job's work record, in the partition of its key when {@code partition} is {@code null}. */
    private static ProducerRecord<String, JobEvent> workRecord(JobAccepted job, Integer partition) {
        RecordHeaders headers = new RecordHeaders();
        if (job.size() <= INLINE_DOCUMENT_MAX) {
            headers.add(WorkRecordHeaders.DOCUMENT, document(job));
        }
        return new ProducerRecord<>(Topics.jobs(job.priority()).name(), partition, job.jobId(), job, headers);
    }

    /** The document of a job made here: its kind and number are in its filename. */
    private static byte[] document(JobAccepted job) {
        return LoadDocument.ofFilename(job.filename());
    }

    /** Writes the jobs to {@code topic} only, {@code perTransaction} in each transaction: the reference's input. */
    void write(String topic, List<JobAccepted> jobs, int perTransaction) {
        transact(jobs, perTransaction, job -> List.of(new ProducerRecord<>(topic, job.jobId(), job)));
    }

    private void transact(List<JobAccepted> jobs, int perTransaction,
            Function<JobAccepted, List<ProducerRecord<String, JobEvent>>> records) {
        for (int from = 0; from < jobs.size(); from += perTransaction) {
            producer.beginTransaction();
            jobs.subList(from, Math.min(jobs.size(), from + perTransaction)).stream().map(records)
                    .forEach(batch -> batch.forEach(producer::send));
            producer.commitTransaction();
        }
    }

    /** The completed fact the processor writes for {@code job}, as for a 10 KB English text. */
    static JobCompleted completed(JobAccepted job, Instant startedAt) {
        Instant now = Instant.now();
        return new JobCompleted(job.jobId(), job.attempt(), startedAt, Duration.between(startedAt, now).toMillis(),
                new ExtractionResult("text/plain", null, job.size(), job.size() / 6, "en", null, null, "spool-text",
                        "text/" + job.jobId() + ".txt.gz", null, null, null, "gzip"), now);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
