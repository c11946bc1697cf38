package org.clusterbackup.core.net;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.Message;

/**
 * Messages received on one connection and not handled yet: the selector thread adds, one worker at a time
 * handles them in order. Their weight (the bytes of {@code Data}, a fixed amount for anything else) tells
 * the selector when to stop reading a connection whose handler lags, and when to read again.
 */
final class InboundQueue {
    /** Received, unhandled bytes above which the connection stops being read. */
    static final long HIGH_WATER = 4L * 1024 * 1024;

    static final long LOW_WATER = 1024 * 1024;
    private static final int NON_DATA_WEIGHT = 256;

    private final ConcurrentLinkedQueue<Message> messages = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean busy;

    /** Selector thread: queues a message; true when no worker is draining and one must be started. */
    boolean offer(Message m) {
        bytes.addAndGet(weight(m));
        messages.add(m);
        return draining.compareAndSet(false, true);
    }

    /**
     * Worker thread: handles messages until none is left, telling {@code belowLowWater} each time the
     * backlog shrinks under the low-water mark. Stops early once {@code closed} says so.
     */
    void drain(Consumer<Message> handler, Runnable belowLowWater, BooleanSupplier closed) {
        while (true) {
            busy = true;
            try {
                Message m;
                while ((m = messages.poll()) != null) {
                    if (bytes.addAndGet(-weight(m)) < LOW_WATER) {
                        belowLowWater.run();
                    }
                    if (closed.getAsBoolean()) {
                        return;
                    }
                    handler.accept(m);
                }
            } finally {
                busy = false;
                draining.set(false);
            }
            // A message may have arrived between the last poll and clearing the flag.
            if (messages.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** A message is being handled right now. */
    boolean busy() {
        return busy;
    }

    /** Nothing queued and no worker draining: every message received so far has been handled. */
    boolean idle() {
        return messages.isEmpty() && !draining.get();
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    boolean overHighWater() {
        return bytes.get() > HIGH_WATER;
    }

    boolean underLowWater() {
        return bytes.get() < LOW_WATER;
    }

    private static long weight(Message m) {
        return m instanceof Data d ? d.bytes().length : NON_DATA_WEIGHT;
    }
}
