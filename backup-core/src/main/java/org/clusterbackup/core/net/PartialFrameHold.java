package org.clusterbackup.core.net;

/**
 * Selector thread: the bytes of one connection's partly received frame, counted in the listener's
 * {@link FrameBudget} as they grow and shrink, and given back when the connection closes.
 */
final class PartialFrameHold {
    private final FrameBudget budget;
    private long held;

    PartialFrameHold(FrameBudget budget) {
        this.budget = budget;
    }

    /**
     * Counts {@code bytes} as this connection's holding now.
     *
     * @return false when that would overdraw the budget; the holding then stays as it was
     */
    boolean hold(long bytes) {
        if (!budget.resize(held, bytes)) {
            return false;
        }
        held = bytes;
        return true;
    }

    /** Gives the whole holding back. */
    void release() {
        budget.resize(held, 0);
        held = 0;
    }

    /** What the listener's connections hold together. */
    long listenerTotal() {
        return budget.held();
    }
}
