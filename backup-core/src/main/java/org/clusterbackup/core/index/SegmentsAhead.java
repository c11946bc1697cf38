package org.clusterbackup.core.index;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Inflates the segments a reader will ask for next on a pool, a bounded window ahead of it, and hands them
 * over in order: the reader's inflates run on every core instead of one after the other on its thread. The
 * segments and their order come from a {@link Plan} that predicts the reader's requests exactly (for the block
 * rebuild, {@link CopiedSegments} reads the copies of the stream ahead of the rebuilder).
 *
 * <p>Each segment is inflated and checked by the same code as the reader's own inflate; an error (a damaged
 * segment) is kept with its segment and thrown to the reader only when it asks for that segment, where its own
 * inflate would have thrown it. A segment no pool thread has started by the time it is asked for is inflated by
 * the reader itself, so a busy pool never makes the reader wait longer than inflating it would. A request the
 * plan did not predict stops the read-ahead: it and every later segment are the reader's to inflate, as
 * without it. {@link #close} drops the segments not yet started and waits for those being inflated, so none is
 * still read once the reader is gone.
 *
 * <p>Memory: at most {@code window} inflated segments waiting, and no more than {@code maxBytes} of tar in
 * them unless a single segment is larger.
 */
final class SegmentsAhead implements AutoCloseable {
    /** The segments the reader will ask for, in order; null at the end (or when it cannot tell further). */
    interface Plan extends AutoCloseable {
        IndexSegment next();

        @Override
        void close() throws IOException;
    }

    /** Inflates and checks one segment; called on pool threads, at the same time for different segments. */
    @FunctionalInterface
    interface Inflate {
        byte[] inflate(IndexSegment segment) throws IOException, ArchiveFormatException;
    }

    private final Inflate inflate;
    private final Executor pool;
    private final int window;
    private final long maxBytes;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private Plan plan;
    /** The plan's next segment, not yet given a slot (the window was full). */
    private IndexSegment pending;

    private long bytesAhead;
    private long served;

    /**
     * Starts inflating the first segments of {@code plan} at once.
     *
     * @param window segments inflating or inflated ahead of the reader, at least 1
     */
    SegmentsAhead(Plan plan, Inflate inflate, Executor pool, int window, long maxBytes) {
        if (window < 1) {
            throw new IllegalArgumentException("a read-ahead of " + window + " segments");
        }
        this.plan = plan;
        this.inflate = inflate;
        this.pool = pool;
        this.window = window;
        this.maxBytes = maxBytes;
        fill();
    }

    /** Segments handed over as planned. */
    long served() {
        return served;
    }

    /**
     * The inflated, checked tar bytes of {@code segment}, the reader's next request; null if the plan did not
     * predict it, and the reader inflates it itself (as it will every later one).
     *
     * @throws ArchiveFormatException the segment is damaged, exactly as the reader's own inflate would say
     */
    byte[] take(IndexSegment segment) throws IOException, ArchiveFormatException {
        Slot head = slots.peek();
        if (head == null || head.segment.number() != segment.number()) {
            stop();
            return null;
        }
        slots.poll();
        bytesAhead -= head.segment.tarLength();
        fill();
        byte[] bytes = head.await();
        served++;
        return bytes;
    }

    private void fill() {
        while (plan != null && slots.size() < window) {
            if (pending == null) {
                pending = plan.next();
                if (pending == null) {
                    closePlan();
                    return;
                }
            }
            if (!slots.isEmpty() && bytesAhead + pending.tarLength() > maxBytes) {
                return;
            }
            Slot slot = new Slot(pending);
            pending = null;
            slots.add(slot);
            bytesAhead += slot.segment.tarLength();
            try {
                pool.execute(slot);
            } catch (RejectedExecutionException e) {
                // A pool that is shutting down: the reader inflates the segment when it asks for it.
            }
        }
    }

    /** No more read-ahead: the slots are dropped (those being inflated waited for) and the plan closed. */
    private void stop() {
        // First every slot not started is claimed, so none starts while those in progress are waited for.
        List<Slot> running = new ArrayList<>();
        for (Slot slot : slots) {
            if (!slot.claim()) {
                running.add(slot);
            }
        }
        slots.clear();
        for (Slot slot : running) {
            slot.awaitQuietly();
        }
        bytesAhead = 0;
        pending = null;
        closePlan();
    }

    private void closePlan() {
        if (plan != null) {
            try {
                plan.close();
            } catch (IOException e) {
                // only a stream opened for reading: nothing was written
            }
            plan = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** One segment of the window: inflated by whoever claims it first, a pool thread or the reader. */
    private final class Slot implements Runnable {
        final IndexSegment segment;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final CompletableFuture<byte[]> done = new CompletableFuture<>();

        Slot(IndexSegment segment) {
            this.segment = segment;
        }

        @Override
        public void run() {
            if (claim()) {
                inflateNow();
            }
        }

        private void inflateNow() {
            try {
                done.complete(inflate.inflate(segment));
            } catch (IOException | ArchiveFormatException | RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        }

        /** The bytes, inflated here if no pool thread has started on them; the inflate's error if it failed. */
        byte[] await() throws IOException, ArchiveFormatException {
            if (claim()) {
                inflateNow();
            }
            try {
                return done.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof ArchiveFormatException a) {
                    throw a;
                }
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }

        /** Takes the slot from the pool: true if no pool thread had started it (and now none will). */
        boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        /** Waits for the inflate a pool thread is in; its result (or error) is dropped. */
        void awaitQuietly() {
            done.handle((bytes, error) -> null).join();
        }
    }
}
