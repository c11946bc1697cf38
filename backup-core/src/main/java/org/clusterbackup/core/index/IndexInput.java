package org.clusterbackup.core.index;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The bytes of an index file for parsing its records: all of them in memory, or read from the file through
 * one buffer that holds any whole record field (a name is at most {@link IndexFormat#MAX_NAME} bytes).
 * Reads big-endian as the format is written. Fields are taken straight from the buffer: parsing a record is
 * a few bounds checks, not a call per field through a synchronised stream.
 */
final class IndexInput {
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private long filePosition;

    /** All of {@code bytes}, from {@code offset}. */
    IndexInput(byte[] bytes, int offset) {
        this.channel = null;
        this.buffer = ByteBuffer.wrap(bytes, offset, bytes.length - offset).slice();
    }

    /** The file's bytes from {@code position}, read as they are needed. */
    IndexInput(FileChannel channel, long position) {
        this.channel = channel;
        this.filePosition = position;
        this.buffer = ByteBuffer.allocate(2 * (IndexFormat.MAX_NAME + 64)).flip();
    }

    /** The next byte, or -1 at the end. */
    int next() throws IOException {
        return fill(1) ? buffer.get() & 0xff : -1;
    }

    int u8() throws IOException {
        need(1);
        return buffer.get() & 0xff;
    }

    int i32() throws IOException {
        need(4);
        return buffer.getInt();
    }

    long i64() throws IOException {
        need(8);
        return buffer.getLong();
    }

    /**
     * Makes the next {@code n} bytes available and gives the buffer, positioned at them, to read a record's
     * fixed fields from with its relative getters: one check of what is buffered for all of them, where a call
     * per field made the JIT compile the refill path into the parser once for every field.
     */
    ByteBuffer fields(int n) throws IOException {
        need(n);
        return buffer;
    }

    /** Fills {@code dst} with the next bytes; returns it. */
    byte[] copy(byte[] dst) throws IOException {
        need(dst.length);
        buffer.get(dst);
        return dst;
    }

    void skip(int n) throws IOException {
        need(n);
        buffer.position(buffer.position() + n);
    }

    /**
     * Makes the next {@code n} bytes readable in {@link #array()} and moves past them.
     *
     * @return where they start in the array; valid until the next call
     */
    int take(int n) throws IOException {
        need(n);
        int at = buffer.arrayOffset() + buffer.position();
        buffer.position(buffer.position() + n);
        return at;
    }

    /** Where the next byte lies in {@link #array()}: for bytes held in memory, its offset in them. */
    int offset() {
        return buffer.arrayOffset() + buffer.position();
    }

    byte[] array() {
        return buffer.array();
    }

    private void need(int n) throws IOException {
        if (!fill(n)) {
            throw new EOFException("the index ends inside a record");
        }
    }

    /** Whether {@code n} bytes are (or could be made) available. */
    private boolean fill(int n) throws IOException {
        if (buffer.remaining() >= n) {
            return true;
        }
        if (channel == null) {
            return false;
        }
        buffer.compact();
        while (buffer.position() < n) {
            int read = channel.read(buffer, filePosition);
            if (read < 0) {
                buffer.flip();
                return false;
            }
            filePosition += read;
        }
        buffer.flip();
        return true;
    }
}
