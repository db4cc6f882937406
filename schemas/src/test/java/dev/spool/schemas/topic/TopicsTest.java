package dev.spool.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.schemas.analytics.JobStats;
import dev.spool.schemas.envelope.CloudEventHeaders;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobStarted;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.servicelevel.ServiceLevel;
import dev.spool.schemas.servicelevel.ServiceLevelSetting;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Every topic of the contract is defined once, with a name of its own and serializers that read what they wrote. */
class TopicsTest {

    private static final Instant AT = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void everyTopicHasItsOwnNameUnderTheSpoolPrefix() {
        List<String> names = allTopics().map(Topic::name).toList();

        assertThat(names).doesNotHaveDuplicates().allSatisfy(name -> assertThat(name).startsWith("spool."));
        assertThat(names).contains(Topics.Names.JOBS_HIGH, Topics.Names.JOBS_NORMAL, Topics.Names.JOBS_LOW,
                Topics.Names.DLQ, Topics.Names.JOB_EVENTS, Topics.Names.JOB_PROGRESS, Topics.Names.JOB_STATE,
                Topics.Names.ANALYTICS_JOB_STATS, Topics.Names.SERVICE_LEVEL, Topics.Names.RETRY_PREFIX + 1);
    }

    @Test
    void eachTierHasItsOwnJobTopicHighestFirst() {
        List<Topic<String, JobEvent>> byTier = EnumSet.allOf(Priority.class).stream().map(Topics::jobs).toList();

        assertThat(byTier).doesNotHaveDuplicates().containsExactlyElementsOf(Topics.jobTopics());
    }

    @Test
    void jobAndEventTopicsShareOnePartitionCountSoAJobsRecordsMeetOnOneTask() {
        List<Integer> partitions = Stream.concat(Topics.jobTopics().stream(),
                        Stream.of(Topics.retry(1), Topics.DLQ, Topics.JOB_EVENTS, Topics.JOB_PROGRESS, Topics.JOB_STATE))
                .map(topic -> topic.spec().partitions()).distinct().toList();

        assertThat(partitions).hasSize(1);
    }

    @Test
    void anEventTopicWritesCloudEventsNamingTheirSourceAndReadsThemBack() {
        JobEvent started = new JobStarted("job-1", 1, AT);
        ProducerRecord<String, JobEvent> record = Topics.JOB_PROGRESS.record("job-1", started);
        RecordHeaders headers = new RecordHeaders();

        byte[] value = Topics.JOB_PROGRESS.valueSerializer("/test").serialize(record.topic(), headers, record.value());

        assertThat(record.topic()).isEqualTo(Topics.Names.JOB_PROGRESS);
        assertThat(new String(headers.lastHeader(CloudEventHeaders.SOURCE).value(), StandardCharsets.UTF_8))
                .isEqualTo("/test");
        assertThat(Topics.JOB_PROGRESS.valueDeserializer().deserialize(record.topic(), headers, value))
                .isEqualTo(started);
        assertThat(Topics.JOB_PROGRESS.keyDeserializer().deserialize(record.topic(),
                Topics.JOB_PROGRESS.keySerializer().serialize(record.topic(), "job-1"))).isEqualTo("job-1");
    }

    @Test
    void theDeadLetterTopicKeepsTheFailedRecordsBytesAsTheyWere() {
        byte[] original = {0, 1, 2, (byte) 0xff};

        byte[] written = Topics.DLQ.valueSerializer("/test").serialize(Topics.DLQ.name(), original);

        assertThat(Topics.DLQ.valueDeserializer().deserialize(Topics.DLQ.name(), written)).isEqualTo(original);
    }

    @Test
    void theAnalyticsTopicReadsTheStatisticsItWrote() {
        JobStats stats = new JobStats(AT, AT.plusSeconds(60), 2, Map.of("completed", 2L), Map.of("text/plain", 2L),
                Map.of("normal", 2L), 20_000, new JobStats.Latency(2, 10L, 12L, 12L));

        byte[] written = Topics.ANALYTICS_JOB_STATS.valueSerializer("/test")
                .serialize(Topics.ANALYTICS_JOB_STATS.name(), stats);

        assertThat(Topics.ANALYTICS_JOB_STATS.valueDeserializer().deserialize(Topics.ANALYTICS_JOB_STATS.name(),
                written)).isEqualTo(stats);
    }

    @Test
    void theServiceLevelTopicIsOneCompactedPartitionThatReadsTheSettingItWrote() {
        ServiceLevelSetting setting = new ServiceLevelSetting(ServiceLevel.DEGRADED, "Low tier paused", 120, AT, "ops");

        byte[] written = Topics.SERVICE_LEVEL.valueSerializer("/test").serialize(Topics.SERVICE_LEVEL.name(), setting);

        assertThat(Topics.SERVICE_LEVEL.valueDeserializer().deserialize(Topics.SERVICE_LEVEL.name(), written))
                .isEqualTo(setting);
        assertThat(Topics.SERVICE_LEVEL.spec().compacted()).isTrue();
        assertThat(Topics.SERVICE_LEVEL.spec().partitions()).isEqualTo(1);
        assertThat(Topics.SERVICE_LEVEL.valueDeserializer().deserialize(Topics.SERVICE_LEVEL.name(), null))
                .as("a tombstone").isNull();
    }

    @Test
    void retryTopicsStartAtTheFirstAttempt() {
        assertThat(Topics.retry(2).name()).isEqualTo(Topics.Names.RETRY_PREFIX + 2);
        assertThatThrownBy(() -> Topics.retry(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Stream<Topic<?, ?>> allTopics() {
        List<Topic<?, ?>> topics = new ArrayList<>(Topics.jobTopics());
        for (int attempt = 1; attempt <= Topics.DEFAULT_RETRIES; attempt++) {
            topics.add(Topics.retry(attempt));
        }
        topics.addAll(List.of(Topics.DLQ, Topics.JOB_EVENTS, Topics.JOB_PROGRESS, Topics.JOB_STATE,
                Topics.ANALYTICS_JOB_STATS, Topics.SERVICE_LEVEL));
        return topics.stream();
    }
}
