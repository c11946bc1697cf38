package org.clusterbackup.core.delta;

import java.io.IOException;

/**
 * Describes a new version of a file against the signature of its base version, as the new bytes go by, in
 * one pass and bounded memory (rsync's algorithm, streamed): where the new bytes equal a block of the base,
 * {@link DeltaOps#copy}; elsewhere {@link DeltaOps#literal}. Two ways to find a block:
 * <ul>
 * <li><b>Expected:</b> after a match of block {@code k}, block {@code k + 1} is tried right after it by its
 *     strong hash alone (its last, shorter block too). Most of a file that changed a little is found this way,
 *     at the cost of one strong hash per block; and it is how an appended file's old tail is found.</li>
 * <li><b>Searched:</b> otherwise the weak sum of the window at each offset is looked up among the base's whole
 *     blocks, rolling one byte at a time, and a hit confirmed by the strong hash. This finds the data after
 *     an insertion or a deletion.</li>
 * </ul>
 * Literal runs go out in pieces of at most {@link #MAX_LITERAL} bytes; the buffer holds that plus a block
 * or two (it starts at 16 KiB and grows to 512 KiB at most). Not thread-safe.
 */
public final class BlockMatcher {
    /** Longest literal run held before it is handed out. */
    static final int MAX_LITERAL = 64 * 1024;
    /** The buffer's largest size; it starts small, as most files are. */
    private static final int BUFFER = 512 * 1024;

    private static final int FIRST_BUFFER = 16 * 1024;

    private final BaseBlocks base;
    private final DeltaOps out;
    private final int blockSize;
    private byte[] buffer = new byte[FIRST_BUFFER];
    /** Offset in the new file of {@code buffer[0]}. */
    private long bufferStart;

    private int filled;
    /** New offset minus base offset of the last match: where the base is expected to line up. */
    private long drift;
    /** Offset in the buffer of the window being tried, and of the first byte not yet handed out. */
    private int pos;

    private int literalStart;
    private final WeakSum weak = new WeakSum();
    private boolean weakValid;
    /** The base block expected at {@code pos}, or -1. */
    private long expected;

    private long copied;
    /** Where the new file's own signature goes, or null; its size, block size, and next block's offset. */
    private final BlockSink signature;

    private final long newSize;
    private final int newBlock;
    private long gridNext;

    /** Matches against {@code base}, the base version's signature, read in order as the matcher goes. */
    public BlockMatcher(BlockSource base, DeltaOps out) {
        this(base, out, null, 0, BaseBlocks.WINDOW);
    }

    /**
     * Matches as {@link #BlockMatcher(BlockSource, DeltaOps)} does, and gives {@code signature} the new file's
     * own signature ({@code newSize} bytes; what a {@link SignatureBuilder} would give) on the way: a block
     * matched where the new file's block grid has one, with the same block size, takes the base block's sums
     * instead of computing them again, so an unchanged stretch costs one strong hash per block in all.
     */
    public BlockMatcher(BlockSource base, DeltaOps out, BlockSink signature, long newSize) {
        this(base, out, signature, newSize, BaseBlocks.WINDOW);
    }

    /** With a window of {@code window} base blocks (tests make it small to exercise its moves). */
    BlockMatcher(BlockSource base, DeltaOps out, BlockSink signature, long newSize, int window) {
        this.base = new BaseBlocks(base, window);
        this.out = out;
        this.blockSize = this.base.blockSize();
        this.expected = this.base.count() > 0 ? 0 : -1;
        this.signature = signature;
        this.newSize = newSize;
        this.newBlock = BlockSizes.forSize(newSize);
    }

    /** Bytes of the new file described as copies so far. */
    public long copiedBytes() {
        return copied;
    }

    /** The next bytes of the new file. */
    public void accept(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (filled == buffer.length) {
                compact();
                if (filled == buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, Math.min(BUFFER, buffer.length * 2));
                }
            }
            int n = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
            match(false);
        }
    }

    /** The new file ended: what is left is matched if it can be, and handed out. */
    public void finish() throws IOException {
        match(true);
        flushLiteral(filled);
        if (signature != null) {
            if (bufferStart + filled != newSize) {
                throw new IllegalStateException(
                        "the new file was to have " + newSize + " bytes, it had " + (bufferStart + filled));
            }
            emitGrid(true);
        }
    }

    /**
     * Gives the new signature the blocks of the new file that the matcher has moved past (it can no longer
     * match where they start) and whose bytes are all here; at the end, all that are left.
     */
    private void emitGrid(boolean last) throws IOException {
        long have = bufferStart + filled;
        long passed = bufferStart + pos;
        while (gridNext < newSize) {
            long end = Math.min(gridNext + newBlock, newSize);
            if (!last && (gridNext >= passed || end > have)) {
                return;
            }
            int at = (int) (gridNext - bufferStart);
            int length = (int) (end - gridNext);
            signature.block(WeakSum.of(buffer, at, length), StrongHash.of(buffer, at, length));
            gridNext = end;
        }
    }

    private void match(boolean last) throws IOException {
        while (true) {
            int available = filled - pos;
            if (expected >= 0) {
                int length = base.length(expected);
                if (available < length && !last) {
                    return; // wait for the expected block's bytes
                }
                if (available >= length
                        && base.holds(expected)
                        && StrongHash.of(buffer, pos, length) == base.strong(expected)) {
                    matched(expected, length);
                    continue;
                }
                expected = -1;
            }
            if (available < blockSize) {
                return; // too short for a whole block: at the end, it is literal
            }
            if (!weakValid) {
                weak.reset(buffer, pos, blockSize);
                weakValid = true;
            }
            long k = base.find(weak.value(), buffer, pos);
            if (k >= 0) {
                matched(inLine(k), blockSize);
                continue;
            }
            if (available == blockSize) {
                return; // the window cannot slide before more bytes come
            }
            weak.roll(buffer[pos], buffer[pos + blockSize]);
            pos++;
            if (signature != null && bufferStart + pos > gridNext + newBlock) {
                emitGrid(false);
            }
            if (pos - literalStart >= MAX_LITERAL) {
                flushLiteral(pos);
            }
        }
    }

    /**
     * Of equal blocks (runs of zeros, repeated records), the one where the base lines up with the last match:
     * the lookup keeps one of them only, and copies from where they belong keep the base's unchanged
     * segments recognisable to the server.
     */
    private long inLine(long k) {
        long at = bufferStart + pos - drift;
        if (at >= 0 && at % blockSize == 0) {
            long aligned = at / blockSize;
            if (aligned != k
                    && aligned < base.count()
                    && base.length(aligned) == blockSize
                    && base.holds(aligned)
                    && base.strong(aligned) == base.strong(k)) {
                return aligned;
            }
        }
        return k;
    }

    private void matched(long k, int length) throws IOException {
        long at = bufferStart + pos;
        if (signature != null) {
            emitGrid(false);
            if (at == gridNext && length == newBlock && length == blockSize) {
                signature.block(base.weak(k), base.strong(k));
                gridNext += newBlock;
            }
        }
        drift = at - base.offset(k);
        flushLiteral(pos);
        out.copy(base.offset(k), length);
        copied += length;
        pos += length;
        literalStart = pos;
        weakValid = false;
        expected = k + 1 < base.count() ? k + 1 : -1;
        base.advanceTo(k + 1);
        if (signature != null) {
            emitGrid(false);
        }
    }

    private void flushLiteral(int end) throws IOException {
        if (end > literalStart) {
            out.literal(buffer, literalStart, end - literalStart);
            literalStart = end;
        }
    }

    /** Drops what was handed out from the buffer. */
    private void compact() {
        int keep = signature == null ? literalStart : (int) Math.min(literalStart, gridNext - bufferStart);
        System.arraycopy(buffer, keep, buffer, 0, filled - keep);
        bufferStart += keep;
        filled -= keep;
        pos -= keep;
        literalStart -= keep;
    }
}
