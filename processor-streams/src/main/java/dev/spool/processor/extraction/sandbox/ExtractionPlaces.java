package dev.spool.processor.extraction.sandbox;

import dev.spool.schemas.event.Priority;
import java.util.EnumMap;
import java.util.Map;

/**
 * Who may extract now. Each tier has places of its own, which no other tier ever takes, and the tiers share a few
 * more: a tier takes one of its own places when one is free and a shared one otherwise, and a shared place that comes
 * free goes to the most urgent tier waiting for one. So a slow document (a catalogue of thousands of pages) holds one
 * place, while the documents queued behind it go on in a shared one, and a backlog in the low tier can take the
 * shared places but never the others' own.
 */
public final class ExtractionPlaces {

    private final Map<Priority, Integer> own;
    private final int shared;
    private final Map<Priority, Integer> ownFree = new EnumMap<>(Priority.class);
    private final Map<Priority, Integer> waiting = new EnumMap<>(Priority.class);
    private int sharedFree;

    /**
     * @param own each tier's places of its own; a tier that is missing has none
     * @param shared places any tier may take
     */
    public ExtractionPlaces(Map<Priority, Integer> own, int shared) {
        if (shared < 0 || own.values().stream().anyMatch(places -> places < 0)) {
            throw new IllegalArgumentException("places cannot be negative: own " + own + ", shared " + shared);
        }
        this.own = new EnumMap<>(Priority.class);
        for (Priority tier : Priority.values()) {
            int places = own.getOrDefault(tier, 0);
            this.own.put(tier, places);
            ownFree.put(tier, places);
            waiting.put(tier, 0);
        }
        if (total(this.own, shared) == 0) {
            throw new IllegalArgumentException("no places at all: nothing could ever be extracted");
        }
        this.shared = shared;
        this.sharedFree = shared;
    }

    private static int total(Map<Priority, Integer> own, int shared) {
        return own.values().stream().mapToInt(Integer::intValue).sum() + shared;
    }

    /** Every place: the most extractions, and so worker processes, there can be at once. */
    public int total() {
        return total(own, shared);
    }

    /** Waits for a place for a document of {@code tier}: its own if one is free, else a shared one. */
    public synchronized Place acquire(Priority tier) throws InterruptedException {
        waiting.merge(tier, 1, Integer::sum);
        try {
            while (true) {
                Place place = tryTake(tier);
                if (place != null) {
                    return place;
                }
                wait();
            }
        } finally {
            waiting.merge(tier, -1, Integer::sum);
        }
    }

    /** A place for {@code tier} if one is free for it right now, else {@code null}. */
    public synchronized Place tryAcquire(Priority tier) {
        return tryTake(tier);
    }

    private Place tryTake(Priority tier) {
        if (ownFree.get(tier) > 0) {
            ownFree.merge(tier, -1, Integer::sum);
            return new Place(tier, false);
        }
        if (sharedFree > 0 && !moreUrgentWaiting(tier)) {
            sharedFree--;
            return new Place(tier, true);
        }
        return null;
    }

    /** Whether a more urgent tier waits for a place, which can only be a shared one: its own are all taken. */
    private boolean moreUrgentWaiting(Priority tier) {
        for (Priority other : Priority.values()) {
            if (other.ordinal() < tier.ordinal() && waiting.get(other) > 0 && ownFree.get(other) == 0) {
                return true;
            }
        }
        return false;
    }

    /** Gives {@code place} back. */
    public synchronized void release(Place place) {
        if (place.shared()) {
            if (sharedFree == shared) {
                throw new IllegalStateException("a shared place was given back that was never taken");
            }
            sharedFree++;
        } else {
            if (ownFree.get(place.tier()).equals(own.get(place.tier()))) {
                throw new IllegalStateException("a place of the " + place.tier().wireName()
                        + " tier was given back that was never taken");
            }
            ownFree.merge(place.tier(), 1, Integer::sum);
        }
        notifyAll();
    }

    /** The tier's own places taken right now. */
    synchronized int ownTaken(Priority tier) {
        return own.get(tier) - ownFree.get(tier);
    }

    /** Shared places taken right now, by any tier. */
    synchronized int sharedTaken() {
        return shared - sharedFree;
    }

    /** Callers of {@link #acquire} of the tier waiting right now. */
    synchronized int waiting(Priority tier) {
        return waiting.get(tier);
    }

    /**
     * A place taken.
     *
     * @param tier the tier it was taken for
     * @param shared whether it is one of the shared places
     */
    public record Place(Priority tier, boolean shared) {
    }
}
