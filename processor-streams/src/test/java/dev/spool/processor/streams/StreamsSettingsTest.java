package dev.spool.processor.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.processor.config.ProcessorProperties;
import dev.spool.schemas.event.Priority;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class StreamsSettingsTest {

    @Test
    void runsEachTierExactlyOnceWithItsOwnIdThreadsAndInFlightWindow() {
        ProcessorProperties processor = new Binder(new MapConfigurationPropertySource(Map.of(
                "spool.processor.state-dir", "/var/spool",
                "spool.processor.transaction-timeout", "7s",
                "spool.processor.session-timeout", "9s",
                "spool.processor.standby-replicas", "2",
                "spool.processor.capacity.high.threads", "2",
                "spool.processor.in-flight.per-task", "48",
                "spool.processor.in-flight.drain-interval", "7ms")))
                .bindOrCreate("spool.processor", ProcessorProperties.class);

        Properties props = StreamsSettings.forTier(processor, Priority.HIGH, "broker-1:9092,broker-2:9092", 3);
        StreamsConfig config = new StreamsConfig(props);

        assertThat(config.getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("spool-processor-high");
        assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(config.getList(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).containsExactly("broker-1:9092", "broker-2:9092");
        assertThat(config.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(config.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(2);
        assertThat(config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(2);
        assertThat(config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(100L);
        assertThat(config.getLong(StreamsConfig.POLL_MS_CONFIG)).isEqualTo(7L);
        assertThat(config.getString(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo("/var/spool");
        assertThat(config.getProducerConfigs("client").get("transaction.timeout.ms")).isEqualTo(7_000);
        assertThat(config.getInt(StreamsConfig.BUFFERED_RECORDS_PER_PARTITION_CONFIG)).isEqualTo(48);
        Map<String, Object> consumer = config.getMainConsumerConfigs("group", "client", 0);
        assertThat(consumer.get("max.poll.records")).isEqualTo(48);
        assertThat(consumer.get("session.timeout.ms")).isEqualTo(9_000);
        assertThat(consumer.get("heartbeat.interval.ms")).isEqualTo(3_000);
        assertThat(consumer).doesNotContainKey("group.instance.id");
    }

    @Test
    void anInstanceIdMakesEachStreamThreadAStaticMemberOfItsOwn() {
        ProcessorProperties processor = new Binder(new MapConfigurationPropertySource(Map.of(
                "spool.processor.instance-id", "processor-a",
                "spool.processor.capacity.normal.threads", "2")))
                .bindOrCreate("spool.processor", ProcessorProperties.class);

        StreamsConfig config = new StreamsConfig(StreamsSettings.forTier(processor, Priority.NORMAL, "broker:9092", 1));

        assertThat(config.getMainConsumerConfigs("group", "client", 0).get("group.instance.id"))
                .isEqualTo("processor-a-0");
        assertThat(config.getMainConsumerConfigs("group", "client", 1).get("group.instance.id"))
                .isEqualTo("processor-a-1");
        assertThat(config.getRestoreConsumerConfigs("client")).doesNotContainKey("group.instance.id");
    }

    @Test
    void theOtherApplicationsKeepTheirOwnThreadCount() {
        ProcessorProperties processor = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("spool.processor", ProcessorProperties.class);

        StreamsConfig config = new StreamsConfig(StreamsSettings.of(processor, "retry", 1, "broker:9092", 1));

        assertThat(config.getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("spool-processor-retry");
        assertThat(config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(1);
        assertThat(config.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).as("a warm copy on another instance")
                .isEqualTo(1);
    }
}
