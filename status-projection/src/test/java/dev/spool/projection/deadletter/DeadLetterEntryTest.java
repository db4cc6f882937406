package dev.spool.projection.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.schemas.envelope.JobEventSerializer;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.topic.WorkRecordHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterEntryTest {

    private static final Instant FAILED_AT = Instant.parse("2026-11-23T08:00:00Z");

    @Test
    void aWorkRecordIsIndexedUnderItsJobWithItsErrorHeaders() {
        JobAccepted job = new JobAccepted("job-1", "alice", "report.pdf", 1234, "ab".repeat(32), "application/pdf",
                null, Priority.HIGH, "spool-uploads", "uploads/job-1", 3, FAILED_AT.minusSeconds(60));
        RecordHeaders headers = new RecordHeaders();
        JobEventSerializer serializer = new JobEventSerializer();
        serializer.configure(Map.of(JobEventSerializer.SOURCE_CONFIG, "/test"), false);
        byte[] value = serializer.serialize(Topics.retry(2).name(), headers, job);
        header(headers, WorkRecordHeaders.ERROR_CODE, "storage_unavailable");
        header(headers, WorkRecordHeaders.EXCEPTION_CLASS, "software.amazon.awssdk.services.s3.model.S3Exception");
        header(headers, WorkRecordHeaders.EXCEPTION_MESSAGE, "Service Unavailable");
        header(headers, WorkRecordHeaders.ATTEMPTS, "4");
        header(headers, WorkRecordHeaders.FAILED_AT, FAILED_AT.toString());
        header(headers, WorkRecordHeaders.ORIGINAL_TOPIC, Topics.retry(3).name());

        DeadLetterEntry entry = DeadLetterEntry.of(Topics.DLQ.name(), 2, 17, 0, headers, value);

        assertThat(entry.id()).isEqualTo("job-1");
        assertThat(entry.job()).isEqualTo(job);
        assertThat(entry.errorCode()).isEqualTo("storage_unavailable");
        assertThat(entry.exceptionClass()).endsWith("S3Exception");
        assertThat(entry.exceptionMessage()).isEqualTo("Service Unavailable");
        assertThat(entry.attempts()).isEqualTo(4);
        assertThat(entry.failedAt()).isEqualTo(FAILED_AT);
        assertThat(entry.originalTopic()).isEqualTo(Topics.retry(3).name());
        assertThat(entry.partition()).isEqualTo(2);
        assertThat(entry.offset()).isEqualTo(17);
        assertThat(entry.record()).isEqualTo(new String(value, StandardCharsets.UTF_8));
    }

    @Test
    void anUnreadableRecordIsKeptUnderItsPositionWithoutAJob() {
        byte[] garbage = {0, 1, 2, (byte) 0xff};
        RecordHeaders headers = new RecordHeaders();
        header(headers, WorkRecordHeaders.ERROR_CODE, "undecodable");

        DeadLetterEntry entry = DeadLetterEntry.of(Topics.DLQ.name(), 1, 5, 1_700_000_000_000L, headers, garbage);

        assertThat(entry.id()).isEqualTo("undecodable-1-5");
        assertThat(entry.job()).isNull();
        assertThat(entry.errorCode()).isEqualTo("undecodable");
        assertThat(entry.attempts()).isZero();
        assertThat(entry.failedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(Base64.getDecoder().decode(entry.record())).isEqualTo(garbage);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
