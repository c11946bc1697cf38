package org.clusterbackup.core.index;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates one segment alone, with a fresh raw {@link Inflater}, from deflate data fed in pieces, and checks
 * it against what was declared for it: exactly {@code gzLength} bytes in, exactly {@code tarLength} bytes
 * out with that CRC-32, no final block, and an end on a block boundary (so the segments, concatenated, are
 * one valid deflate stream). Tar bytes go to the sink as they come: memory is one 64 KiB buffer.
 */
public final class SegmentInflater implements AutoCloseable {
    @FunctionalInterface
    public interface Sink {
        void accept(byte[] bytes, int offset, int length) throws ArchiveFormatException;
    }

    private final long number;
    private final long tarLength;
    private final long gzLength;
    private final long crc32;
    /** The tar bytes the sink gets: all of them ({@code tarLength}), or a head of the segment alone. */
    private final long wanted;

    private final Sink sink;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buffer = new byte[64 * 1024];
    private long gzSeen;
    private long tarProduced;

    SegmentInflater(long number, long tarLength, long gzLength, long crc32, Sink sink) {
        this(number, tarLength, gzLength, crc32, tarLength, sink);
    }

    /**
     * @param wanted how many of the segment's first tar bytes to inflate; fewer than {@code tarLength} stops
     *     there ({@link #satisfied}), and then the totals, the CRC-32 and the block boundary are not checked
     */
    SegmentInflater(long number, long tarLength, long gzLength, long crc32, long wanted, Sink sink) {
        if (wanted < 0 || wanted > tarLength) {
            throw new IllegalArgumentException(
                    "segment " + number + " has " + tarLength + " bytes; " + wanted + " cannot be wanted");
        }
        this.number = number;
        this.tarLength = tarLength;
        this.gzLength = gzLength;
        this.crc32 = crc32;
        this.wanted = wanted;
        this.sink = sink;
    }

    /** A head of the segment was wanted and it is all out: nothing more is to be fed. */
    boolean satisfied() {
        return wanted < tarLength && tarProduced == wanted;
    }

    long gzRemaining() {
        return gzLength - gzSeen;
    }

    void feed(byte[] b, int off, int len) throws ArchiveFormatException {
        if (len > gzRemaining()) {
            throw bad("gets " + (gzSeen + len) + " bytes of deflate data, more than the declared " + gzLength);
        }
        gzSeen += len;
        inflater.setInput(b, off, len);
        drain();
    }

    /** All its bytes are in: checks the totals and the CRC-32, then that the data ended on a block boundary. */
    void finish() throws ArchiveFormatException {
        if (gzSeen != gzLength) {
            throw bad("got " + gzSeen + " bytes of deflate data, " + gzLength + " were declared");
        }
        if (tarProduced != tarLength) {
            throw bad("inflates to " + tarProduced + " bytes, " + tarLength + " were declared");
        }
        if (crc.getValue() != crc32) {
            throw bad("has CRC-32 " + Long.toHexString(crc.getValue()) + ", " + Long.toHexString(crc32)
                    + " was declared");
        }
        // At a block boundary the final empty block ends the stream at once with no output; anywhere else
        // (inside a stored or compressed block) those two bytes would be read as content or leave it unfinished.
        inflater.setInput(GzipLayout.FINAL_BLOCK);
        int extra;
        try {
            extra = inflater.inflate(buffer);
        } catch (DataFormatException e) {
            extra = -1;
        }
        if (extra != 0 || !inflater.finished()) {
            throw bad("does not end on a deflate block boundary (it must end with SYNC_FLUSH)");
        }
    }

    private void drain() throws ArchiveFormatException {
        while (true) {
            // A head alone: the output stops where it ends, so what follows it is never decoded.
            int room = wanted < tarLength ? (int) Math.min(buffer.length, wanted - tarProduced) : buffer.length;
            if (room == 0) {
                return;
            }
            int n;
            try {
                n = inflater.inflate(buffer, 0, room);
            } catch (DataFormatException e) {
                throw bad("is not valid deflate data on its own: " + e.getMessage());
            }
            if (n > 0) {
                tarProduced += n;
                if (tarProduced > tarLength) {
                    throw bad("inflates to more than the declared " + tarLength + " bytes");
                }
                crc.update(buffer, 0, n);
                sink.accept(buffer, 0, n);
            }
            if (inflater.finished()) {
                throw bad("holds a final deflate block: the stream ends before the archive does");
            }
            if (inflater.needsDictionary()) {
                throw bad("asks for a preset dictionary");
            }
            if (n == 0) {
                return; // needs input: everything fed so far is inflated
            }
        }
    }

    private ArchiveFormatException bad(String what) {
        return new ArchiveFormatException("segment " + number + " " + what);
    }

    @Override
    public void close() {
        inflater.end();
    }
}
