package org.clusterbackup.core.archive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses one segment: a fresh raw {@link Deflater} (no zlib or gzip wrapper, no dictionary) at the
 * given level, the input fed in {@link #CHUNK}-byte pieces counted from the segment's start and the output
 * taken in {@code CHUNK}-byte pieces, ended by {@link Deflater#SYNC_FLUSH} (the data ends on a byte boundary
 * with an empty stored block {@code 00 00 ff ff}, and no block is final). The same bytes at the same level
 * give the same output, so whoever compresses a segment this way (the agent, or later the server) makes the
 * same archive. Thread-safe: nothing is shared between calls.
 */
public final class SegmentDeflater {
    /** Input and output piece size, and the size of the chunks of a {@link CompressedSegment}. */
    public static final int CHUNK = 64 * 1024;

    private SegmentDeflater() {}

    /**
     * @param tar the segment's tar bytes as pieces of {@link #CHUNK} bytes (the last may be shorter), at most
     *        {@code length} bytes read in total
     * @param length bytes of tar in the segment, at least 1
     * @param level deflate level, 0 to 9
     */
    public static CompressedSegment deflate(List<byte[]> tar, long length, int level) {
        if (length < 1) {
            throw new IllegalArgumentException("a segment holds at least one byte, not " + length);
        }
        Deflater deflater = new Deflater(level, true);
        try {
            CRC32 crc = new CRC32();
            Output out = new Output();
            long left = length;
            for (byte[] piece : tar) {
                if (left == 0) {
                    break;
                }
                int n = (int) Math.min(left, Math.min(piece.length, CHUNK));
                crc.update(piece, 0, n);
                deflater.setInput(piece, 0, n);
                while (!deflater.needsInput()) {
                    out.deflate(deflater, Deflater.NO_FLUSH);
                }
                left -= n;
            }
            if (left != 0) {
                throw new IllegalArgumentException("the pieces hold " + (length - left) + " bytes, not " + length);
            }
            while (out.deflate(deflater, Deflater.SYNC_FLUSH)) {
                // a full output piece: there may be more
            }
            return out.finish(length, crc.getValue());
        } finally {
            deflater.end();
        }
    }

    /** The same for tar bytes in one array. */
    public static CompressedSegment deflate(byte[] tar, int offset, int length, int level) {
        List<byte[]> pieces = new ArrayList<>();
        for (int at = offset; at < offset + length; at += CHUNK) {
            pieces.add(Arrays.copyOfRange(tar, at, Math.min(offset + length, at + CHUNK)));
        }
        return deflate(pieces, length, level);
    }

    /** Deflate output gathered in {@code CHUNK}-byte arrays. */
    private static final class Output {
        private final List<byte[]> chunks = new ArrayList<>();
        private byte[] current = new byte[CHUNK];
        private int filled;
        private long total;

        /** One call into zlib; true if it filled the output piece (so it may have more to give). */
        boolean deflate(Deflater deflater, int flush) {
            int room = CHUNK - filled;
            int n = deflater.deflate(current, filled, room, flush);
            filled += n;
            total += n;
            if (filled == CHUNK) {
                chunks.add(current);
                current = new byte[CHUNK];
                filled = 0;
            }
            return n == room;
        }

        CompressedSegment finish(long tarLength, long crc32) {
            if (filled > 0) {
                chunks.add(Arrays.copyOf(current, filled));
            }
            return new CompressedSegment(tarLength, crc32, total, chunks);
        }
    }
}
