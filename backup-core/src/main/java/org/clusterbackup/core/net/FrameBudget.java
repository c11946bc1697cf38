package org.clusterbackup.core.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory a listener gives to partly received frames, over all its connections. A per-frame limit
 * alone let 38 connections, each holding all but the last byte of a 4 MiB frame, exhaust the heap; with a
 * budget the connection that would overdraw it is refused instead, and the others are served.
 */
final class FrameBudget {
    private final long limit;
    private final AtomicLong held = new AtomicLong();

    FrameBudget(long limit) {
        this.limit = limit;
    }

    /**
     * Moves one connection's holding from {@code before} to {@code after} bytes.
     *
     * @return false when growing would exceed the budget; then the holding stays at {@code before}
     */
    boolean resize(long before, long after) {
        long delta = after - before;
        if (delta <= 0) {
            held.addAndGet(delta);
            return true;
        }
        while (true) {
            long current = held.get();
            if (current + delta > limit) {
                return false;
            }
            if (held.compareAndSet(current, current + delta)) {
                return true;
            }
        }
    }

    long held() {
        return held.get();
    }
}
