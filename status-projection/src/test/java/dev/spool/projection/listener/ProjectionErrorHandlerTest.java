package dev.spool.projection.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import com.mongodb.MongoTimeoutException;
import dev.spool.projection.config.ProjectionProperties;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.BackOffExecution;

class ProjectionErrorHandlerTest {

    private static final ProjectionProperties.Retry RETRY =
            new ProjectionProperties.Retry(Duration.ofMillis(1), 2.0, Duration.ofMillis(8));

    private final ConsumerRecord<String, JobEvent> record = new ConsumerRecord<>(Topics.JOB_EVENTS.name(), 3, 42L, "job-1", null);
    // a stopped container cuts each back-off sleep short, so the test does not wait
    private final MessageListenerContainer container = mock(MessageListenerContainer.class);
    private final Consumer<?, ?> consumer = mock(Consumer.class);

    @Test
    void theBackOffGrowsToItsCapAndNeverGivesUp() {
        BackOffExecution execution = ProjectionErrorHandler.backOff(
                new ProjectionProperties.Retry(Duration.ofMillis(500), 2.0, Duration.ofSeconds(30))).start();

        List<Long> first = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            first.add(execution.nextBackOff());
        }
        assertThat(first).containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L);
        for (int i = 0; i < 100_000; i++) {
            assertThat(execution.nextBackOff()).isEqualTo(30_000L);
        }
    }

    @Test
    void aStoreFailureIsNeverRecoveredSoTheRecordIsRetried() {
        ProjectionErrorHandler handler = new ProjectionErrorHandler(RETRY);
        Exception mongoDown = new ListenerExecutionFailedException("listener failed",
                new MongoTimeoutException("Timed out while waiting for a server"));

        for (int attempt = 1; attempt <= 50; attempt++) {
            assertThat(handler.handleOne(mongoDown, record, consumer, container)).as("attempt %d", attempt).isFalse();
        }
    }

    @Test
    void aPoisonPillIsSkippedAtOnce() {
        ProjectionErrorHandler handler = new ProjectionErrorHandler(RETRY);
        Exception poison = new ListenerExecutionFailedException("cannot decode", new DeserializationException(
                "failed to deserialize", new byte[] {'{'}, false, new SerializationException("Malformed event")));

        assertThat(handler.handleOne(poison, record, consumer, container)).isTrue();
    }
}
