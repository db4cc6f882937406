package dev.spool.projection;

import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.TopicProvisioner;
import dev.spool.schemas.topic.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes job events as the services do: facts in transactions, signals with a plain idempotent producer. Creates
 * the event topics first when they are missing, as the services would.
 */
public final class JobEventsPublisher implements AutoCloseable {

    private final KafkaProducer<String, JobEvent> facts;
    private final KafkaProducer<String, JobEvent> signals;

    public JobEventsPublisher(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            TopicProvisioner.ensure(admin, Topics.specs(List.of(Topics.JOB_EVENTS, Topics.JOB_PROGRESS)), (short) 1);
        }
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        Map<String, Object> transactional = new HashMap<>(config);
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "projection-test-" + UUID.randomUUID());
        facts = new KafkaProducer<>(transactional, Topics.JOB_EVENTS.keySerializer(),
                Topics.JOB_EVENTS.valueSerializer("/test/processor"));
        facts.initTransactions();
        signals = new KafkaProducer<>(config, Topics.JOB_PROGRESS.keySerializer(),
                Topics.JOB_PROGRESS.valueSerializer("/test/processor"));
    }

    /** Publishes a fact to {@code spool.job-events} in a transaction of its own, committed on return. */
    public RecordMetadata fact(JobEvent event) throws ExecutionException, InterruptedException {
        facts.beginTransaction();
        var sent = facts.send(Topics.JOB_EVENTS.record(event.jobId(), event));
        facts.commitTransaction();
        return sent.get();
    }

    /** Publishes a signal to {@code spool.job-progress}, acknowledged on return. */
    public RecordMetadata signal(JobEvent event) throws ExecutionException, InterruptedException {
        return signals.send(Topics.JOB_PROGRESS.record(event.jobId(), event)).get();
    }

    /** Publishes each event where it belongs, in order. */
    public void publish(JobEvent... events) throws ExecutionException, InterruptedException {
        for (JobEvent event : events) {
            if (event.type().isFact()) {
                fact(event);
            } else {
                signal(event);
            }
        }
    }

    @Override
    public void close() {
        facts.close();
        signals.close();
    }
}
