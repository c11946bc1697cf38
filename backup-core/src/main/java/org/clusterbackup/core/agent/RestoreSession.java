package org.clusterbackup.core.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.clusterbackup.core.restore.ExtractResult;
import org.clusterbackup.core.restore.SafeExtractor;

/**
 * One restore in progress on an agent: {@code Data} frames from the connection feed a bounded pipe that the
 * extractor reads on its own thread. When the pipe is full the connection's handler blocks, the transport
 * stops reading, and TCP slows the server: memory stays at a few chunks whatever the archive's size. At the
 * end of the stream the pipe checks size and sha256 against what the server announced before the extractor
 * may move the tree into place.
 *
 * <p>Neither side waits forever: the extractor gives up when no data arrives for the idle timeout (a server
 * that sent {@code RestoreBegin} and then nothing), and the connection stops feeding an extractor that has
 * taken nothing for as long. Either way the restore fails and what it wrote is removed.
 */
final class RestoreSession {
    private static final byte[] END = new byte[0];
    private static final byte[] ABORT = new byte[0];
    private static final int PIPE_CHUNKS = 16;

    private final BlockingQueue<byte[]> pipe = new ArrayBlockingQueue<>(PIPE_CHUNKS);
    private final CompletableFuture<ExtractResult> result = new CompletableFuture<>();
    private final long expectedSize;
    private final String expectedSha256;
    private final Duration idleTimeout;

    private RestoreSession(long expectedSize, String expectedSha256, Duration idleTimeout) {
        this.expectedSize = expectedSize;
        this.expectedSha256 = expectedSha256;
        this.idleTimeout = idleTimeout;
    }

    /** Starts extracting into {@code target} on a thread of {@code slots}, whose slot the caller took. */
    static RestoreSession start(
            SafeExtractor extractor, Path target, long size, String sha256, RestoreSlots slots, Duration idleTimeout) {
        RestoreSession session = new RestoreSession(size, sha256, idleTimeout);
        slots.run(() -> {
            try {
                session.result.complete(extractor.extract(session.new PipeInput(), target));
            } catch (Throwable e) {
                session.result.completeExceptionally(e);
            }
        });
        return session;
    }

    /**
     * Passes a chunk to the extractor; drops it once the extraction has already failed, and fails the
     * extraction if it takes nothing for the idle timeout.
     */
    void accept(byte[] chunk) throws InterruptedException {
        long deadline = System.nanoTime() + idleTimeout.toNanos();
        while (!result.isDone()) {
            if (pipe.offer(chunk, Math.min(1000, idleTimeout.toMillis()), TimeUnit.MILLISECONDS)) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                result.completeExceptionally(
                        new IOException("the extractor took no data for " + idleTimeout.toMillis() + " ms"));
                abort();
                return;
            }
        }
    }

    /** The stream is complete: waits for the tree to be in place (or for the reason it is not). */
    ExtractResult finish() throws InterruptedException, ExecutionException {
        accept(END);
        return result.get();
    }

    /** The server went away: the extractor fails and removes what it wrote. */
    void abort() {
        pipe.clear();
        pipe.offer(ABORT);
    }

    private final class PipeInput extends InputStream {
        private final MessageDigest sha256 = newSha256();
        private byte[] current = new byte[0];
        private int position;
        private long size;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (position == current.length) {
                if (ended) {
                    return -1;
                }
                byte[] next;
                try {
                    next = pipe.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("restore interrupted");
                }
                if (next == null) {
                    throw new IOException("no archive data came for " + idleTimeout.toMillis() + " ms after " + size
                            + " of " + expectedSize + " bytes");
                }
                if (next == ABORT) {
                    throw new IOException("the server went away after " + size + " of " + expectedSize + " bytes");
                }
                if (next == END) {
                    checkWhole();
                    ended = true;
                    return -1;
                }
                sha256.update(next);
                size += next.length;
                current = next;
                position = 0;
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            return n;
        }

        private void checkWhole() throws IOException {
            String actual = HexFormat.of().formatHex(sha256.digest());
            if (size != expectedSize || !actual.equals(expectedSha256)) {
                throw new IOException("the archive arrived as " + size + " bytes with sha256 " + actual
                        + "; the server announced " + expectedSize + " bytes with sha256 " + expectedSha256);
            }
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
