package dev.spool.schemas.topic;

/**
 * Kafka headers Spool adds to work records: a small document itself, a retry record's due time, and what a dead letter
 * failed with. Values are UTF-8 strings but for the document; times are ISO-8601 instants; the original CloudEvents
 * headers of the work record are kept.
 */
public final class WorkRecordHeaders {

    /**
     * On a tier topic's work record as ingest writes it: the stored document's bytes, raw, for a document small enough
     * to travel with its work ({@code spool.ingest.publish.inline-document-max}), so that the processor need not fetch
     * what it was sent. Absent on larger documents, retries and replays; the processor uses it only when its length
     * and SHA-256 are the job's, and otherwise reads the stored object, which stays the document of record.
     */
    public static final String DOCUMENT = "spool_document";

    /** On {@code spool.jobs.retry-N}: when the record is released into its tier for attempt N + 1. */
    public static final String DUE_AT = "spool_due_at";

    /** On {@code spool.jobs.dlq}: the job's error code (an {@code ErrorCode} wire name). */
    public static final String ERROR_CODE = "spool_error_code";
    /** On {@code spool.jobs.dlq}: the class of the exception that ended the job. */
    public static final String EXCEPTION_CLASS = "spool_exception_class";
    /** On {@code spool.jobs.dlq}: its message. */
    public static final String EXCEPTION_MESSAGE = "spool_exception_message";
    /** On {@code spool.jobs.dlq}: its stack trace, cut at {@link #STACK_TRACE_LIMIT} characters. */
    public static final String STACK_TRACE = "spool_stack_trace";
    /** On {@code spool.jobs.dlq}: attempts made, the last one included. */
    public static final String ATTEMPTS = "spool_attempts";
    /** On {@code spool.jobs.dlq}: where the failed record was read. */
    public static final String ORIGINAL_TOPIC = "spool_original_topic";
    public static final String ORIGINAL_PARTITION = "spool_original_partition";
    public static final String ORIGINAL_OFFSET = "spool_original_offset";
    public static final String ORIGINAL_TIMESTAMP = "spool_original_timestamp";
    /** On {@code spool.jobs.dlq}: when the record was dead-lettered. */
    public static final String FAILED_AT = "spool_failed_at";

    /**
     * On {@code spool.jobs.dlq}, the same facts under the names and in the encoding of spring-kafka's
     * {@code DeadLetterPublishingRecoverer} ({@code KafkaHeaders.DLT_*}), so that dead-letter tooling built on it reads
     * Spool's dead letters: the topic, the timestamp type, the exception's class, message and stack trace as UTF-8;
     * the partition as a 4-byte big-endian int; the offset and the timestamp (epoch milliseconds) as 8-byte
     * big-endian longs.
     */
    public static final String DLT_ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    public static final String DLT_ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    public static final String DLT_ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    public static final String DLT_ORIGINAL_TIMESTAMP = "kafka_dlt-original-timestamp";
    public static final String DLT_ORIGINAL_TIMESTAMP_TYPE = "kafka_dlt-original-timestamp-type";
    public static final String DLT_EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";
    public static final String DLT_EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
    public static final String DLT_EXCEPTION_STACKTRACE = "kafka_dlt-exception-stacktrace";

    /** Longest stack trace kept in a header; Kafka records should stay small. */
    public static final int STACK_TRACE_LIMIT = 8192;

    private WorkRecordHeaders() {
    }
}
