package dev.spool.ingest.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits whatever is waiting together: a few worker threads each take every item queued so far (up to a batch's
 * most) and commit them in one go. Alone, an item commits at once, as before; when many arrive together, one commit
 * carries them all, so the number of commits in flight, not the number of items, is bounded by the workers. A
 * failed commit fails every item it carried; nothing is retried here.
 *
 * @param <T> what is committed
 */
final class GroupCommit<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private final BlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
    private final Consumer<List<T>> commit;
    private final int maxBatch;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param commit commits one batch, all or nothing; throws when it did not commit
     * @param workers how many batches may be committing at once
     * @param maxBatch most items in one batch
     */
    GroupCommit(String name, Consumer<List<T>> commit, int workers, int maxBatch) {
        this.commit = commit;
        this.maxBatch = maxBatch;
        for (int i = 0; i < workers; i++) {
            Thread worker = new Thread(this::work, name + "-" + i);
            worker.setDaemon(true);
            this.workers.add(worker);
            worker.start();
        }
    }

    /** Completes when a commit holding all of {@code items} succeeded, exceptionally when it failed. */
    CompletableFuture<Void> submit(List<T> items) {
        Pending<T> pending = new Pending<>(List.copyOf(items), new CompletableFuture<>());
        if (closed) {
            pending.done().completeExceptionally(new IllegalStateException("shutting down: nothing more is committed"));
            return pending.done();
        }
        queue.add(pending);
        if (closed && queue.remove(pending)) {
            pending.done().completeExceptionally(new IllegalStateException("shutting down: nothing more is committed"));
        }
        return pending.done();
    }

    private void work() {
        List<Pending<T>> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<T> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int size = first.items().size();
                // Items of one submission stay together, so a batch may pass maxBatch by the last one's items.
                while (size < maxBatch) {
                    Pending<T> next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    size += next.items().size();
                }
                commit(batch, size);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending<T>> batch, int size) {
        List<T> items = new ArrayList<>(size);
        batch.forEach(pending -> items.addAll(pending.items()));
        try {
            commit.accept(items);
        } catch (RuntimeException e) {
            LOG.debug("A commit of {} items failed", items.size(), e);
            batch.forEach(pending -> pending.done().completeExceptionally(e));
            return;
        }
        batch.forEach(pending -> pending.done().complete(null));
    }

    /** Commits what is already queued, then stops the workers; later submissions fail at once. */
    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Pending<T> left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new IllegalStateException("shutting down: nothing more is committed"));
        }
    }

    private record Pending<T>(List<T> items, CompletableFuture<Void> done) {
    }
}
