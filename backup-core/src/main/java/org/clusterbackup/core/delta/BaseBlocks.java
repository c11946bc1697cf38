package org.clusterbackup.core.delta;

import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * The base version's blocks, looked up by weak sum, for {@link BlockMatcher}. A signature of up to
 * {@link #WINDOW} blocks is held whole. A longer one is read in order and held as a window of that many
 * blocks around where the matcher is in the base: two halves, the window moving forward by a half once the
 * matcher passes three quarters of it. So memory is bounded (about 2.5 MiB) whatever the size of the file;
 * what moved backwards by more than a quarter of the window (a quarter of 128 Ki blocks: 128 MiB of a file
 * with 4 KiB blocks) is then sent as literal bytes instead: a cost, never a wrong result.
 *
 * <p>Only whole blocks are looked up by weak sum; the last, shorter block is matched where the matcher
 * expects it (after the block before it), which is where an appended file has it.
 */
final class BaseBlocks {
    /** Blocks held at most. */
    static final int WINDOW = 1 << 17;

    private static final System.Logger LOG = System.getLogger(BaseBlocks.class.getName());

    private final BlockSource source;
    private final int blockSize;
    private final long size;
    private final long count;
    private final long wholeBlocks;
    private final int half;
    private final int[] weak;
    private final long[] strong;
    private final int[] table;
    private final int mask;
    /** The block number of {@code weak[0]}. */
    private long lo;

    private int held;
    private boolean done;

    BaseBlocks(BlockSource source, int window) {
        if (window < 2 || window % 2 != 0) {
            throw new IllegalArgumentException("window must be even and at least 2, was " + window);
        }
        this.half = window / 2;
        this.source = source;
        this.blockSize = source.blockSize();
        this.size = source.size();
        this.count = source.blocks();
        this.wholeBlocks = size / blockSize;
        int capacity = (int) Math.min(count, window);
        this.weak = new int[capacity];
        this.strong = new long[capacity];
        int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2;
        this.table = new int[slots];
        this.mask = slots - 1;
        fill();
        index();
    }

    int blockSize() {
        return blockSize;
    }

    long count() {
        return count;
    }

    /** Bytes in block {@code k}. */
    int length(long k) {
        return k < count - 1 ? blockSize : (int) (size - (count - 1) * blockSize);
    }

    /** Where block {@code k} starts in the base version. */
    long offset(long k) {
        return k * blockSize;
    }

    /** True if block {@code k} is held, so {@link #strong(long)} may be asked. */
    boolean holds(long k) {
        return k >= lo && k < lo + held;
    }

    long strong(long k) {
        return strong[(int) (k - lo)];
    }

    int weak(long k) {
        return weak[(int) (k - lo)];
    }

    /**
     * A whole block held with weak sum {@code w} and the strong hash of {@code bytes[offset, offset + blockSize)},
     * or -1. The strong hash is computed only if some block has that weak sum.
     */
    long find(int w, byte[] bytes, int offset) {
        long hash = 0;
        boolean hashed = false;
        for (int slot = spread(w) & mask; table[slot] != 0; slot = (slot + 1) & mask) {
            int i = table[slot] - 1;
            if (weak[i] == w) {
                if (!hashed) {
                    hash = StrongHash.of(bytes, offset, blockSize);
                    hashed = true;
                }
                if (strong[i] == hash) {
                    return lo + i;
                }
            }
        }
        return -1;
    }

    /** The matcher is now at block {@code k} of the base: moves the window forward if it passed three quarters. */
    void advanceTo(long k) {
        while (!done && held == weak.length && k >= lo + half + half / 2) {
            System.arraycopy(weak, half, weak, 0, held - half);
            System.arraycopy(strong, half, strong, 0, held - half);
            lo += half;
            held -= half;
            fill();
            index();
        }
    }

    private void fill() {
        try {
            while (held < weak.length) {
                int n = source.read(weak, strong, held, weak.length - held);
                if (n <= 0) {
                    done = true;
                    return;
                }
                held += n;
            }
            if (lo + held >= count) {
                done = true;
            }
        } catch (IOException e) {
            // Only a saving is lost: the blocks not read are not matched, and go as literal bytes.
            LOG.log(Level.WARNING, "a stored signature cannot be read past block {0}: {1}", lo + held, e.toString());
            done = true;
        }
    }

    private void index() {
        java.util.Arrays.fill(table, 0);
        for (int i = 0; i < held && lo + i < wholeBlocks; i++) {
            int slot = spread(weak[i]) & mask;
            boolean duplicate = false;
            while (table[slot] != 0) {
                int j = table[slot] - 1;
                // Equal blocks (runs of zeros) are kept once: any of them is as good, and a long probe chain is not.
                if (weak[j] == weak[i] && strong[j] == strong[i]) {
                    duplicate = true;
                    break;
                }
                slot = (slot + 1) & mask;
            }
            if (!duplicate) {
                table[slot] = i + 1;
            }
        }
    }

    private static int spread(int w) {
        int h = w * 0x9E3779B1;
        return h ^ (h >>> 15);
    }
}
