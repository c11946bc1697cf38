package org.clusterbackup.core.archive;

import java.io.InterruptedIOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What all the writes of one {@link TreeArchiver} may hold at once, whatever the thread count and however
 * many backups run together: at most {@link #bytes()} of tar in segments that are compressing or waiting to
 * be sent, and a pool of at most as many bytes of spare input chunks for reuse. With the open segment of
 * each write (at most 4 MiB) and the compressed output (about the size of its input at worst), this bounds
 * an agent's archive memory at a few times {@code bytes} however large the files are. Thread-safe.
 */
final class InFlightBudget {
    /** 16 MiB: room for 8 to 16 segments, enough to keep 8 compressing threads busy. */
    static final int DEFAULT_BYTES = 16 * 1024 * 1024;

    private static final int UNIT = 1024;

    private final int bytes;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<byte[]> spare = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spareCount = new AtomicInteger();
    private final int maxSpare;

    /** @param bytes at least twice the largest segment, so one write can always proceed */
    InFlightBudget(int bytes) {
        if (bytes < 2 * SegmentRule.HARD_LIMIT) {
            throw new IllegalArgumentException("a budget of " + bytes + " bytes cannot hold two segments");
        }
        this.bytes = bytes;
        this.permits = new Semaphore(bytes / UNIT, true);
        this.maxSpare = bytes / SegmentDeflater.CHUNK;
    }

    int bytes() {
        return bytes;
    }

    /** Takes room for a segment of {@code length} bytes if there is some now. */
    boolean tryTake(long length) {
        return permits.tryAcquire(units(length));
    }

    /** Takes room for a segment of {@code length} bytes, waiting for other writes to give some back. */
    void take(long length) throws InterruptedIOException {
        try {
            permits.acquire(units(length));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for room to compress the archive");
        }
    }

    /** Gives back the room of a segment of {@code length} bytes (sent or abandoned). */
    void giveBack(long length) {
        permits.release(units(length));
    }

    /** Room not taken now, in bytes (rounded to KiB). */
    long availableBytes() {
        return (long) permits.availablePermits() * UNIT;
    }

    /** A {@link SegmentDeflater#CHUNK}-byte array, reused if one is spare. */
    byte[] chunk() {
        byte[] c = spare.poll();
        if (c == null) {
            return new byte[SegmentDeflater.CHUNK];
        }
        spareCount.decrementAndGet();
        return c;
    }

    /** Keeps a chunk no longer used for reuse, unless enough are kept already. */
    void recycle(byte[] chunk) {
        if (spareCount.incrementAndGet() <= maxSpare) {
            spare.add(chunk);
        } else {
            spareCount.decrementAndGet();
        }
    }

    private static int units(long length) {
        return (int) ((length + UNIT - 1) / UNIT);
    }
}
