package dev.spool.ingest.servicelevel;

import dev.spool.schemas.servicelevel.ServiceLevelSetting;
import dev.spool.schemas.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Follows {@code spool.service-level} on a thread of its own: one consumer per instance, assigned the topic's one
 * partition (no consumer group, so every instance reads every record), from the beginning, applying each record to
 * {@link ServiceLevelState}. Start-up waits, at most {@code startupWait}, until the topic has been read to its end, so
 * that an instance restarted during maintenance does not take uploads first; Kafka unreachable, it starts anyway
 * with {@code full} and applies the topic once it can read it. Started before the web server, stopped after it.
 */
final class ServiceLevelFollower implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceLevelFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final TopicPartition PARTITION = new TopicPartition(Topics.SERVICE_LEVEL.name(), 0);

    private final Map<String, Object> consumerConfig;
    private final ServiceLevelState state;
    private final Duration startupWait;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running;
    private volatile KafkaConsumer<String, ServiceLevelSetting> consumer;
    private volatile Thread thread;

    ServiceLevelFollower(Map<String, Object> consumerConfig, ServiceLevelState state, Duration startupWait) {
        this.consumerConfig = Map.copyOf(consumerConfig);
        this.state = state;
        this.startupWait = startupWait;
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(consumerConfig, Topics.SERVICE_LEVEL.keyDeserializer(),
                Topics.SERVICE_LEVEL.valueDeserializer());
        running = true;
        thread = new Thread(this::follow, "spool-service-level");
        thread.setDaemon(true);
        thread.start();
        try {
            if (!caughtUp.await(startupWait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} could not be read within {}; this instance applies service level full until it has read it",
                        PARTITION.topic(), startupWait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(startupWait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server (whose phase is just below the default), so that uploads meet the level read. */
    @Override
    public int getPhase() {
        return 0;
    }

    private void follow() {
        try (KafkaConsumer<String, ServiceLevelSetting> reader = consumer) {
            reader.assign(List.of(PARTITION));
            reader.seekToBeginning(List.of(PARTITION));
            Long end = null;
            while (running) {
                try {
                    if (end == null) {
                        end = reader.endOffsets(List.of(PARTITION), POLL).get(PARTITION);
                    }
                    for (ConsumerRecord<String, ServiceLevelSetting> record : reader.poll(POLL)) {
                        state.apply(record.value());
                    }
                    long position = reader.position(PARTITION, POLL);
                    state.readUpTo(position);
                    if (end != null && position >= end) {
                        caughtUp.countDown();
                    }
                } catch (WakeupException e) {
                    // stop() ends the loop.
                } catch (RecordDeserializationException e) {
                    LOG.warn("Skipping unreadable service-level record at offset {}", e.offset(), e);
                    reader.seek(PARTITION, e.offset() + 1);
                } catch (TimeoutException e) {
                    // Kafka unreachable: the last level read stays in force; ask again on the next round.
                    LOG.debug("Service level not read this round", e);
                } catch (KafkaException e) {
                    LOG.warn("Service level not read this round; the last level read ({}) stays in force",
                            state.current().level().wireName(), e);
                    pause();
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
