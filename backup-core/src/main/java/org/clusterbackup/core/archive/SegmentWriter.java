package org.clusterbackup.core.archive;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * The stream under the tar writer: collects the tar bytes of the open segment, closes it at the offsets its
 * {@link SegmentRule} gives (taken one at a time, as the stream reaches them), has closed segments compressed by {@link SegmentDeflater}
 * on an executor, several at once, and hands them to the {@link ArchiveSink} in order, with the gzip header
 * before and the tail after.
 *
 * <p><b>Bounded memory.</b> At most {@code window} segments of this write, and no more tar than the
 * {@link InFlightBudget} shared by all writes of the archiver allows, are compressing or waiting to be sent;
 * when either is full, {@link #write} blocks (sending its own oldest segment, or waiting for other writes to
 * send theirs) until there is room. So memory is a few segments per compressing thread, whatever the file
 * sizes and however many backups run at once; input buffers are reused.
 *
 * <p>Output bytes depend only on the tar bytes, the cuts and the level: never on the executor, the thread
 * count or timing. Not thread-safe: one writing thread; only compression runs elsewhere.
 */
final class SegmentWriter extends OutputStream {
    private static final int CHUNK = SegmentDeflater.CHUNK;

    private final ArchiveSink sink;
    private final int level;
    private final Executor executor;
    private final int window;
    private final ArrayDeque<CompletableFuture<CompressedSegment>> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Long> inFlightLengths = new ArrayDeque<>();
    private final InFlightBudget budget;
    private final SegmentRule rule;
    /** The next offset at which the open segment closes, or -1 until the rule gives one. */
    private long nextCut = -1;

    /** The open segment: full chunks, then the one being filled. */
    private List<byte[]> open = new ArrayList<>();

    private byte[] current;
    private int currentFilled;
    private long openLength;

    private long position;
    private boolean headerSent;
    private long tarLength;
    private long crc32;
    private long segments;
    private boolean finished;

    /**
     * @param window segments of this write compressing or waiting at once (at least 1)
     * @param budget tar in flight and spare buffers, shared with the other writes of the archiver
     */
    SegmentWriter(SegmentRule rule, ArchiveSink sink, int level, Executor executor, int window, InFlightBudget budget) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        this.rule = rule;
        this.sink = sink;
        this.level = level;
        this.executor = executor;
        this.window = window;
        this.budget = budget;
    }

    /** Tar bytes received so far. */
    long position() {
        return position;
    }

    /** Segments sent so far. */
    long segments() {
        return segments;
    }

    /**
     * Takes the cuts the rule has for what was laid out last: a cut at the current offset closes the open
     * segment now, a later one when the stream gets there. (A cut inside bytes already received, which only
     * the hard limit inside a giant header makes, splits the open segment.)
     */
    void takeCuts() throws IOException {
        if (nextCut < 0) {
            nextCut = rule.nextCut();
        }
        while (nextCut >= 0 && nextCut <= position) {
            if (nextCut < position) {
                closeSegmentAt(nextCut);
            } else {
                closeSegment();
            }
            nextCut = rule.nextCut();
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("the archive is already finished");
        }
        while (len > 0) {
            int n = nextCut < 0 ? len : (int) Math.min(len, nextCut - position);
            append(b, off, n);
            off += n;
            len -= n;
            if (position == nextCut) {
                closeSegment();
                nextCut = rule.nextCut();
            }
        }
    }

    /**
     * Sends every segment and the tail. The last cut must have been made at the end of the stream.
     *
     * @throws IllegalStateException if tar bytes remain outside a segment
     */
    void finish() throws IOException {
        if (openLength > 0 || nextCut >= 0) {
            throw new IllegalStateException(openLength + " bytes of tar were never cut into a segment");
        }
        while (!inFlight.isEmpty()) {
            sendOldest();
        }
        sendHeaderOnce();
        sink.tail(SegmentedGzip.tail(crc32, tarLength));
        finished = true;
    }

    /** Gives up: compressions still running are cancelled, nothing more is sent. */
    @Override
    public void close() {
        finished = true;
        for (CompletableFuture<CompressedSegment> f : inFlight) {
            f.cancel(false);
            budget.giveBack(inFlightLengths.poll());
        }
        inFlight.clear();
    }

    @Override
    public void flush() {
        // Segments go out whole, when they are compressed; the tar writer's flushes change nothing.
    }

    private void append(byte[] b, int off, int len) {
        while (len > 0) {
            if (current == null) {
                current = budget.chunk();
                currentFilled = 0;
            }
            int n = Math.min(len, CHUNK - currentFilled);
            System.arraycopy(b, off, current, currentFilled, n);
            currentFilled += n;
            off += n;
            len -= n;
            openLength += n;
            position += n;
            if (currentFilled == CHUNK) {
                open.add(current);
                current = null;
            }
        }
    }

    private void closeSegment() throws IOException {
        if (openLength == 0) {
            return;
        }
        if (current != null) {
            open.add(current);
            current = null;
        }
        List<byte[]> input = open;
        long length = openLength;
        open = new ArrayList<>();
        openLength = 0;
        makeRoom(length);
        int lvl = level;
        CompletableFuture<CompressedSegment> task;
        try {
            task = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return SegmentDeflater.deflate(input, length, lvl);
                        } finally {
                            input.forEach(budget::recycle);
                        }
                    },
                    executor);
        } catch (RuntimeException e) { // the archiver was closed
            budget.giveBack(length);
            throw e;
        }
        inFlight.add(task);
        inFlightLengths.add(length);
        while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
            sendOldest();
        }
    }

    /**
     * Waits until a segment of {@code length} bytes may join the ones in flight: sends this write's oldest
     * while its window is full or the budget is short, and waits for the other writes when it has none.
     */
    private void makeRoom(long length) throws IOException {
        while (true) {
            if (inFlight.size() < window && budget.tryTake(length)) {
                return;
            }
            if (!inFlight.isEmpty()) {
                sendOldest();
            } else {
                budget.take(length);
                return;
            }
        }
    }

    /** Closes the open segment at {@code offset}, behind the stream; what follows it stays open. */
    private void closeSegmentAt(long offset) throws IOException {
        long segmentStart = position - openLength;
        if (offset <= segmentStart) {
            throw new IllegalStateException("cut at " + offset + " is before the open segment, at " + segmentStart);
        }
        byte[] all = new byte[(int) openLength];
        int at = 0;
        for (byte[] chunk : open) {
            System.arraycopy(chunk, 0, all, at, CHUNK);
            at += CHUNK;
        }
        if (current != null) {
            System.arraycopy(current, 0, all, at, currentFilled);
        }
        open = new ArrayList<>();
        current = null;
        openLength = 0;
        position = segmentStart;
        int first = (int) (offset - segmentStart);
        append(all, 0, first);
        closeSegment();
        append(all, first, all.length - first);
    }

    private void sendOldest() throws IOException {
        CompletableFuture<CompressedSegment> oldest = inFlight.poll();
        long length = inFlightLengths.poll();
        CompressedSegment segment;
        try {
            segment = oldest.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing the archive");
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException("compressing a segment failed: " + cause, cause);
        } finally {
            budget.giveBack(length); // its output is held until sent below, but its input is free again
        }
        sendHeaderOnce();
        sink.segment(segment);
        crc32 = Crc32Combine.combine(crc32, segment.crc32(), segment.tarLength());
        tarLength += segment.tarLength();
        segments++;
    }

    private void sendHeaderOnce() throws IOException {
        if (!headerSent) {
            sink.header(SegmentedGzip.header());
            headerSent = true;
        }
    }
}
