package org.clusterbackup.core.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames waiting to be written to a non-blocking channel. Any thread may add; one thread writes.
 * {@link java.nio.channels.SocketChannel#write} may take only part of a frame (the socket buffer is full): the rest stays at
 * the head of the queue and goes out on the next call, so frames are never interleaved or cut.
 */
final class OutboundQueue {
    private final ConcurrentLinkedQueue<ByteBuffer> frames = new ConcurrentLinkedQueue<>();
    private final AtomicLong pending = new AtomicLong();

    /** Adds a complete frame; returns the unsent bytes now queued. */
    long add(ByteBuffer frame) {
        long total = pending.addAndGet(frame.remaining());
        frames.add(frame);
        return total;
    }

    /**
     * Writes until the queue is empty or the channel takes no more.
     *
     * @return bytes written by this call
     */
    long writeTo(WritableByteChannel channel) throws IOException {
        long written = 0;
        ByteBuffer frame;
        while ((frame = frames.peek()) != null) {
            int n = channel.write(frame);
            written += n;
            pending.addAndGet(-n);
            if (frame.hasRemaining()) {
                // Partial write: keep the rest at the head; the caller retries when the channel is writable.
                return written;
            }
            frames.poll();
        }
        return written;
    }

    long pendingBytes() {
        return pending.get();
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }
}
