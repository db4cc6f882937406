package dev.spool.schemas.topic;

import java.util.List;

/**
 * What {@link TopicProvisioner} did: the topics it created and the existing ones that differ from the contract.
 *
 * @param created topics created by this call
 * @param drifts settings of existing topics that differ from their specs
 */
public record ProvisionedTopics(List<String> created, List<TopicDrift> drifts) {

    public ProvisionedTopics {
        created = List.copyOf(created);
        drifts = List.copyOf(drifts);
    }
}
