package dev.spool.schemas.topic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates missing topics from their {@link TopicSpec}s and reports existing ones that differ, idempotently. Unlike
 * a plain "create or alter", it never changes an existing topic: every service may run it at start-up for the
 * topics it uses, concurrently, and a drifted production topic stays as the operator left it.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_SECONDS = 30;
    private static final long METADATA_RETRY_MILLIS = 50;

    private TopicProvisioner() {
    }

    public static ProvisionedTopics ensure(Admin admin, Collection<TopicSpec> specs, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> created = create(admin, specs.stream().filter(s -> !existing.contains(s.name())).toList(),
                    replicationFactor);
            // A topic that turned out to exist on create (another service was faster, or the listing lagged
            // behind a creation) is checked like one that was listed.
            List<TopicSpec> present = specs.stream().filter(s -> !created.contains(s.name())).toList();
            List<TopicDrift> drifts = present.isEmpty() ? List.of() : driftsOnceKnown(admin, present);
            drifts.forEach(drift -> LOG.warn(drift.describe()));
            return new ProvisionedTopics(created, drifts);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot provision Spool's topics; is Kafka reachable?", e);
        }
    }

    private static List<String> create(Admin admin, List<TopicSpec> missing, short replicationFactor)
            throws InterruptedException, TimeoutException {
        List<String> created = new ArrayList<>();
        for (TopicSpec spec : missing) {
            NewTopic topic = new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(spec.configs());
            try {
                admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                created.add(spec.name());
                LOG.info("Created topic {} ({} partitions, {})", spec.name(), spec.partitions(), spec.configs());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + spec.name(), e.getCause());
                }
            }
        }
        return created;
    }

    /**
     * The drifts of {@code specs}, asked again while the broker answers that a topic is unknown: a topic another
     * service has just created is listed, or refused as existing, a moment before its metadata reaches every broker
     * thread that describes it.
     */
    private static List<TopicDrift> driftsOnceKnown(Admin admin, List<TopicSpec> specs)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                return drifts(admin, specs);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(METADATA_RETRY_MILLIS);
            }
        }
    }

    private static List<TopicDrift> drifts(Admin admin, List<TopicSpec> specs)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> descriptions =
                admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                        .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                        .collect(Collectors.toList()))
                .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<TopicDrift> drifts = new ArrayList<>();
        for (TopicSpec spec : specs) {
            int partitions = descriptions.get(spec.name()).partitions().size();
            if (partitions != spec.partitions()) {
                drifts.add(new TopicDrift(spec.name(), "partitions", Integer.toString(spec.partitions()),
                        Integer.toString(partitions)));
            }
            Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            spec.configs().forEach((key, expected) -> {
                ConfigEntry entry = actual.get(key);
                String value = entry == null ? null : entry.value();
                if (!expected.equals(value)) {
                    drifts.add(new TopicDrift(spec.name(), key, expected, String.valueOf(value)));
                }
            });
        }
        return drifts;
    }
}
