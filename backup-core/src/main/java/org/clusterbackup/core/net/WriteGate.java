package org.clusterbackup.core.net;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The outbound side of a connection: frames queued by any thread, written by the selector thread, and
 * senders held back while too much is unsent. It also remembers when the queue last moved, so a peer that
 * stops reading is noticed however busy its handler is.
 */
final class WriteGate {
    /** Unsent bytes above which a sender blocks. */
    static final long HIGH_WATER = 1024 * 1024;

    static final long LOW_WATER = 256 * 1024;

    private final OutboundQueue outbox = new OutboundQueue();
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Signalled when the queue drained to the low-water mark and when the connection closed: the only two
     * things a blocked sender waits for, so it needs no timed re-check.
     */
    private final Condition space = lock.newCondition();
    /** When the queue last drained some bytes, or became non-empty; -1 while never used. */
    private volatile long lastMovedMillis = -1;

    private volatile long lastWriteMillis;

    WriteGate(long nowMillis) {
        this.lastWriteMillis = nowMillis;
    }

    /** Queues a complete frame. */
    void add(ByteBuffer frame, long nowMillis) {
        if (outbox.add(frame) == frame.remaining()) {
            lastMovedMillis = nowMillis; // the queue was empty: the wait for the peer starts now
        }
    }

    /** Blocks while more than the low-water mark is unsent, once the high-water mark was passed. */
    void awaitSpace(BooleanSupplier closed, long connectionId) throws IOException {
        if (outbox.pendingBytes() <= HIGH_WATER) {
            return;
        }
        lock.lock();
        try {
            while (outbox.pendingBytes() > LOW_WATER && !closed.getAsBoolean()) {
                space.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to send on connection " + connectionId);
        } finally {
            lock.unlock();
        }
        if (closed.getAsBoolean()) {
            throw new ClosedChannelException();
        }
    }

    /** Selector thread: writes what the channel takes. */
    void writeTo(WritableByteChannel channel, long nowMillis) throws IOException {
        if (outbox.writeTo(channel) > 0) {
            lastWriteMillis = nowMillis;
            lastMovedMillis = nowMillis;
            if (outbox.pendingBytes() <= LOW_WATER) {
                wakeSenders();
            }
        }
    }

    /** Releases every blocked sender (after a close, they see it and give up). */
    void wakeSenders() {
        lock.lock();
        try {
            space.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True when frames wait and the queue has not moved for {@code timeoutMillis}: the peer stopped reading. */
    boolean stalled(long nowMillis, long timeoutMillis) {
        return !outbox.isEmpty() && nowMillis - lastMovedMillis > timeoutMillis;
    }

    /** Records a frame written outside the queue's accounting (keep-alives count as writes). */
    void wrote(long nowMillis) {
        lastWriteMillis = nowMillis;
    }

    long lastWriteMillis() {
        return lastWriteMillis;
    }

    boolean isEmpty() {
        return outbox.isEmpty();
    }
}
