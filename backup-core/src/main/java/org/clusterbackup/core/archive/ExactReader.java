package org.clusterbackup.core.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Reads exactly the size a stat reported from a file that may be changing under it: it stops there if the
 * file grew and fills with zeros if the file shrank or a read failed, so what it hands out always has the
 * length already promised in a tar header. It hashes those bytes in the same pass: each byte of a file is
 * touched once, in chunks, with no per-byte calls.
 *
 * <p>Holds one chunk buffer and one SHA-256 for all the files of a scan or write. Not thread-safe.
 */
final class ExactReader {
    /** Large enough that per-read overhead vanishes against copying, small enough to stay in cache. */
    static final int CHUNK = 256 * 1024;

    private final byte[] chunk = new byte[CHUNK];
    private final MessageDigest sha256 = TreeDigest.newSha256();

    /** Receives the bytes read, in order. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    /** Told after each chunk, with the number of bytes handed out so far. */
    @FunctionalInterface
    interface Progress {
        void chunkDone(long bytesSoFar);
    }

    /**
     * @param sha256 hash of exactly {@code size} bytes handed out, zero fill included
     * @param fromFile how many of them came from the file; fewer than the size if it ended early or failed
     * @param error the read failure that ended it early, or null
     */
    record Result(byte[] sha256, long fromFile, IOException error) {}

    /** Hands {@code size} bytes to {@code sink} (or only hashes them, if it is null) chunk by chunk. */
    Result stream(SeekableByteChannel channel, long size, Sink sink, Progress progress) throws IOException {
        return read(channel, size, chunk, false, true, sink, progress);
    }

    /** As {@link #stream}, without hashing (the result's hash is empty): a look at the content, not a copy. */
    Result look(SeekableByteChannel channel, long size, Sink sink) throws IOException {
        return read(channel, size, chunk, false, false, sink, null);
    }

    /** Reads {@code size} bytes into {@code target[0, size)}, which must be that large. */
    Result fill(SeekableByteChannel channel, int size, byte[] target, Progress progress) throws IOException {
        return read(channel, size, target, true, true, null, progress);
    }

    /** IOExceptions of the channel end up in the result; those of the sink propagate. */
    private Result read(
            SeekableByteChannel channel,
            long size,
            byte[] buffer,
            boolean accumulate,
            boolean hash,
            Sink sink,
            Progress progress)
            throws IOException {
        sha256.reset();
        ByteBuffer view = ByteBuffer.wrap(buffer);
        long done = 0;
        long fromFile = -1; // set once the file has ended or failed: from then on, zeros
        IOException error = null;
        while (done < size) {
            int offset = accumulate ? (int) done : 0;
            int length = (int) Math.min(CHUNK, size - done);
            int got = 0;
            if (fromFile < 0) {
                view.limit(offset + length).position(offset);
                try {
                    got = readFully(channel, view);
                } catch (IOException e) {
                    error = e;
                    got = view.position() - offset;
                }
                if (got < length || error != null) {
                    fromFile = done + got;
                }
            }
            if (got < length) {
                Arrays.fill(buffer, offset + got, offset + length, (byte) 0);
            }
            if (hash) {
                sha256.update(buffer, offset, length);
            }
            if (sink != null) {
                sink.write(buffer, offset, length);
            }
            done += length;
            if (progress != null) {
                progress.chunkDone(done);
            }
        }
        return new Result(hash ? sha256.digest() : new byte[0], fromFile < 0 ? size : fromFile, error);
    }

    /** Reads until the buffer is full or the file ends; the number of bytes read. */
    private static int readFully(SeekableByteChannel channel, ByteBuffer view) throws IOException {
        int start = view.position();
        while (view.hasRemaining()) {
            // A file channel returns 0 only when there is no room; treating it as the end, like -1, means a
            // misbehaving opener cannot make this loop spin.
            if (channel.read(view) <= 0) {
                break;
            }
        }
        return view.position() - start;
    }
}
