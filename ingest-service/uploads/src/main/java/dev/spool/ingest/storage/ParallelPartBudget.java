package dev.spool.ingest.storage;

import java.util.concurrent.Semaphore;

/**
 * The parts that uploads of one instance may hold in memory beside each upload's own one (on their way to S3, or
 * stored ahead of an earlier part), shared by all of them. Every upload may always hold one part, so it never waits on
 * another; a further part goes out at once only while the budget has room, and otherwise after the upload's oldest
 * part is stored. The budget bounds the memory of parallel parts whatever the number of uploads.
 */
final class ParallelPartBudget {

    private final int perUpload;
    private final Semaphore extraParts;

    /**
     * @param perUpload most parts one upload holds at once
     * @param extraParts parts in flight beyond each upload's first, across all uploads
     */
    ParallelPartBudget(int perUpload, int extraParts) {
        if (perUpload < 1 || extraParts < 0) {
            throw new IllegalArgumentException("perUpload must be positive and extraParts not negative: " + perUpload
                    + ", " + extraParts);
        }
        this.perUpload = perUpload;
        this.extraParts = new Semaphore(extraParts);
    }

    /**
     * Whether an upload that holds {@code held} parts may send one more now; when {@code held} is not zero and the
     * answer is yes, it took a slot, to be given back once that part's bytes are released.
     */
    boolean tryTake(int held) {
        if (held == 0) {
            return true;
        }
        return held < perUpload && extraParts.tryAcquire();
    }

    /** Gives back a slot that {@link #tryTake} took for a part beyond an upload's first. */
    void giveBack() {
        extraParts.release();
    }

    /** Slots free now. */
    int available() {
        return extraParts.availablePermits();
    }
}
