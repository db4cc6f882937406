package dev.spool.projection.rebuild;

import dev.spool.projection.mongo.JobViewRepository;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds MongoDB's job views from the topics: forgets the durable group's offsets, so that it reads
 * {@code spool.job-events} (kept forever) and {@code spool.job-progress} from the beginning again, and drops the
 * views it will write again. Runs while the projection starts, before its listeners do, and refuses while any member
 * of the group is still running elsewhere, before anything is dropped.
 */
public final class ViewRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(ViewRebuild.class);

    private final Admin admin;
    private final JobViewRepository repository;
    private final String groupId;
    private final Duration timeout;

    public ViewRebuild(Admin admin, JobViewRepository repository, String groupId, Duration timeout) {
        this.admin = admin;
        this.repository = repository;
        this.groupId = groupId;
        this.timeout = timeout;
    }

    /**
     * Resets the group and drops the views; the listener then writes them all again.
     *
     * @throws IllegalStateException when the group still has members, or Kafka or MongoDB did not answer
     */
    public void run() {
        LOG.warn("Rebuilding the job views in MongoDB from the topics: resetting consumer group {} and dropping the views",
                groupId);
        forgetOffsets();
        repository.dropAll().block(timeout);
        repository.createIndexes().block(timeout);
        LOG.warn("Job views dropped; consumer group {} now reads the topics from the beginning", groupId);
    }

    private void forgetOffsets() {
        try {
            admin.deleteConsumerGroups(List.of(groupId)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupNotEmptyException) {
                throw new IllegalStateException("Consumer group " + groupId + " still has running members; stop every "
                        + "status-projection instance before a rebuild", e.getCause());
            }
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw new IllegalStateException("Could not reset consumer group " + groupId, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not reset consumer group " + groupId + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while resetting consumer group " + groupId, e);
        }
    }
}
