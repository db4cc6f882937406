package dev.spool.processor.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.processor.config.ProcessorProperties;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class StreamsSettingsTest {

    @Test
    void runsEachApplicationExactlyOnceWithItsOwnIdAndThreads() {
        ProcessorProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("spool.processor", ProcessorProperties.class);
        ProcessorProperties processor = new ProcessorProperties("spool-processor", "/var/spool", "/var/spool-work",
                defaults.threads(), Duration.ofMillis(100), defaults.extraction(), Duration.ofSeconds(30), Duration.ofMinutes(1),
                defaults.retry(), defaults.storageBreaker(), Duration.ofSeconds(5), Duration.ofSeconds(30),
                defaults.analytics());

        Properties props = StreamsSettings.of(processor, "high", 2, "broker-1:9092,broker-2:9092", 3);
        StreamsConfig config = new StreamsConfig(props);

        assertThat(config.getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("spool-processor-high");
        assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(config.getList(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).containsExactly("broker-1:9092", "broker-2:9092");
        assertThat(config.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(2);
        assertThat(config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(100L);
        assertThat(config.getString(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo("/var/spool");
        assertThat(config.getProducerConfigs("client").get("transaction.timeout.ms")).isEqualTo(120_000);
        Map<String, Object> consumer = config.getMainConsumerConfigs("group", "client", 0);
        assertThat(consumer.get("max.poll.interval.ms")).isEqualTo(120_000);
        assertThat(consumer.get("max.poll.records")).isEqualTo(1);
    }
}
