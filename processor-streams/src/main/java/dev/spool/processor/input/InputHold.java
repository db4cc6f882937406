package dev.spool.processor.input;

import org.apache.kafka.common.TopicPartition;

/**
 * Stops and restarts the fetching of one input partition of the current stream thread, so that a task that cannot
 * take more work for now holds back its own partition only, and its thread goes on with its other tasks and commits.
 * Called on the stream thread.
 */
public interface InputHold {

    /** For a thread whose consumer cannot hold partitions (a topology test driver): records keep coming. */
    InputHold NONE = new InputHold() {
        @Override
        public void hold(TopicPartition partition) {
        }

        @Override
        public void release(TopicPartition partition) {
        }
    };

    /** Fetches no more records of {@code partition} until {@link #release released}. */
    void hold(TopicPartition partition);

    /** Fetches {@code partition} again, unless Kafka Streams itself paused it (a full buffer). */
    void release(TopicPartition partition);

    /** The hold of the consumer that polls on the calling thread, or {@link #NONE}. */
    static InputHold ofCurrentThread() {
        return HoldableConsumer.pollingOnCurrentThread();
    }
}
