package dev.spool.projection.health;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Which listener containers have joined their consumer groups: each of a container's consumers has come out of a
 * rebalance holding its partitions, or knowing it has none (a group with more consumers than partitions leaves some
 * without). A running container reads nothing before that, which is why readiness waits for it. Once joined, a
 * container stays joined: a later rebalance is the group at work, and a stopped container is reported as stopped.
 */
@Component
public class GroupMembership {

    /** Per listener id, the consumers that have had an assignment; consumers are compared by identity. */
    private final Map<String, Set<Consumer<?, ?>>> assigned = new ConcurrentHashMap<>();

    /** Has {@code container} tell this which of its consumers got their assignment; for every listener container. */
    public void watch(ConcurrentMessageListenerContainer<?, ?> container) {
        container.getContainerProperties().setConsumerRebalanceListener(new ConsumerAwareRebalanceListener() {
            // Kafka calls this after every rebalance, with no partitions too.
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                assigned.computeIfAbsent(container.getListenerId(), id -> ConcurrentHashMap.newKeySet()).add(consumer);
            }
        });
    }

    /** Whether every consumer of {@code container} has had its assignment. */
    public boolean hasJoined(MessageListenerContainer container) {
        int consumers = container instanceof ConcurrentMessageListenerContainer<?, ?> concurrent
                ? concurrent.getConcurrency() : 1;
        return assigned.getOrDefault(container.getListenerId(), Set.of()).size() >= consumers;
    }
}
