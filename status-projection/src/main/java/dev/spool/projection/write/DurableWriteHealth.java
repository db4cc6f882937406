package dev.spool.projection.write;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether MongoDB writes are failing right now, as the durable writer last found. The live writer reads it to keep
 * Redis views longer while Redis holds the only current copy; it is per instance, which is enough because every
 * instance writes to the same MongoDB.
 */
public final class DurableWriteHealth {

    private final AtomicBoolean failing = new AtomicBoolean();

    /** Whether the last MongoDB write failed. */
    public boolean isFailing() {
        return failing.get();
    }

    /** Records that a MongoDB write failed. */
    public void failed() {
        failing.set(true);
    }

    /** Records that a MongoDB write landed. */
    public void succeeded() {
        failing.set(false);
    }
}
