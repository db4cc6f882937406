package dev.spool.schemas.topic;

/**
 * An existing topic whose setting differs from its {@link TopicSpec}. Reported, never corrected: changing
 * partitions re-keys jobs and changing retention may delete data, so an operator decides.
 *
 * @param topic topic name
 * @param setting {@code partitions} or a topic config such as {@code retention.ms}
 * @param expected what the contract says
 * @param actual what the cluster has
 */
public record TopicDrift(String topic, String setting, String expected, String actual) {

    /** One sentence for the log: what differs and what to do. */
    public String describe() {
        return "Topic " + topic + " has " + setting + "=" + actual + " but the contract says " + expected
                + "; left unchanged. Align it with kafka-topics/kafka-configs, or change the spec in Topics.";
    }
}
