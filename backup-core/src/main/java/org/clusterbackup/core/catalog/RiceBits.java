package org.clusterbackup.core.catalog;

import java.util.Arrays;

/**
 * A bit stream of numbers for {@link RangeRuns}: columns as a frame of reference (the minimum, then each value
 * minus it) whose offsets are Golomb–Rice coded with the parameter that makes the column shortest. Rice codes
 * suit the geometric-like spread of timer lateness, durations and id deltas: a value {@code v} with parameter
 * {@code k} is its quotient {@code v >>> k} in unary (that many 1 bits, then a 0) and its {@code k} low bits.
 * A quotient of {@link #ESCAPE} or more (an outlier: a clock step, a run hours long) is written as
 * {@code ESCAPE} 1 bits, then the value's bit length in 7 bits and the value, so no value costs more than
 * about 90 bits. Bits are written high first into bytes; the last byte is padded with 0 bits.
 */
final class RiceBits {
    /** Quotients from here on are escaped. */
    static final int ESCAPE = 24;

    /** The parameter field's value for a column whose values all equal its minimum (no offsets follow). */
    private static final int ALL_EQUAL = 64;

    private RiceBits() {}

    static final class Writer {
        private byte[] buf = new byte[64];
        private long bitPos;

        void bits(long value, int n) {
            for (int i = n - 1; i >= 0; i--) {
                bit((int) (value >>> i) & 1);
            }
        }

        private void bit(int b) {
            int byteIndex = (int) (bitPos >>> 3);
            if (byteIndex == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            if (b != 0) {
                buf[byteIndex] |= (byte) (0x80 >>> (bitPos & 7));
            }
            bitPos++;
        }

        /** An unsigned number of any size: its bit length in 7 bits, then its bits below the leading 1. */
        void unsigned(long v) {
            int length = 64 - Long.numberOfLeadingZeros(v);
            bits(length, 7);
            if (length > 1) {
                bits(v, length - 1);
            }
        }

        void signed(long v) {
            unsigned((v << 1) ^ (v >> 63));
        }

        void rice(long v, int k) {
            long q = v >>> k;
            if (Long.compareUnsigned(q, ESCAPE) < 0) {
                for (int i = 0; i < q; i++) {
                    bit(1);
                }
                bit(0);
                bits(v, k);
            } else {
                for (int i = 0; i < ESCAPE; i++) {
                    bit(1);
                }
                unsigned(v);
            }
        }

        /** Nothing for no values; else the minimum (signed), the parameter (7 bits), then each offset. */
        void column(long[] values) {
            if (values.length == 0) {
                return;
            }
            long min = Arrays.stream(values).min().orElseThrow();
            signed(min);
            long[] offsets = new long[values.length];
            boolean allEqual = true;
            for (int i = 0; i < values.length; i++) {
                offsets[i] = values[i] - min; // unsigned: below 2^64 even when the values span more than 2^63
                allEqual &= offsets[i] == 0;
            }
            if (allEqual) {
                bits(ALL_EQUAL, 7);
                return;
            }
            int k = bestParameter(offsets);
            bits(k, 7);
            for (long v : offsets) {
                rice(v, k);
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, (int) ((bitPos + 7) >>> 3));
        }
    }

    /**
     * The parameter that codes these offsets in the fewest bits, among those near the bit length of their
     * median (a Rice code's best parameter for a geometric spread is about log2 of its mean; the median keeps
     * a few outliers from pulling it up): each candidate is costed exactly, escapes included, so an append,
     * which re-encodes its range, costs a sort and a few passes over each column rather than 64.
     */
    static int bestParameter(long[] offsets) {
        long[] sorted = offsets.clone();
        Arrays.sort(sorted);
        int guess = 64 - Long.numberOfLeadingZeros(Math.max(0, sorted[sorted.length / 2]));
        int best = 0;
        long bestBits = Long.MAX_VALUE;
        for (int k = Math.max(0, guess - 3); k <= Math.min(63, guess + 2); k++) {
            long total = 0;
            for (long v : offsets) {
                long q = v >>> k;
                total += Long.compareUnsigned(q, ESCAPE) < 0
                        ? q + 1 + k
                        : ESCAPE + 7 + Math.max(0, 63 - Long.numberOfLeadingZeros(v));
            }
            if (total < bestBits) {
                bestBits = total;
                best = k;
            }
        }
        return best;
    }

    /** Reads what a {@link Writer} wrote; anything malformed is a damaged range. */
    static final class Reader {
        private final byte[] data;
        private final long limit;
        private long bitPos;

        Reader(byte[] data, int from, int to) {
            this.data = data;
            this.bitPos = (long) from * 8;
            this.limit = (long) to * 8;
        }

        private int bit() {
            if (bitPos >= limit) {
                throw new CatalogException("a range's runs are damaged: the data ends early");
            }
            int b = (data[(int) (bitPos >>> 3)] >>> (7 - (bitPos & 7))) & 1;
            bitPos++;
            return b;
        }

        /** {@code n} bits (0 to 64), high first, a byte's worth at a time. */
        long bits(int n) {
            if (limit - bitPos < n) {
                throw new CatalogException("a range's runs are damaged: the data ends early");
            }
            long v = 0;
            int remaining = n;
            while (remaining > 0) {
                int offset = (int) (bitPos & 7);
                int take = Math.min(8 - offset, remaining);
                int b = (data[(int) (bitPos >>> 3)] & 0xFF) >>> (8 - offset - take);
                v = (v << take) | (b & ((1 << take) - 1));
                bitPos += take;
                remaining -= take;
            }
            return v;
        }

        long unsigned() {
            int length = (int) bits(7);
            if (length > 64) {
                throw new CatalogException("a range's runs are damaged: a number of " + length + " bits");
            }
            if (length <= 1) {
                return length;
            }
            return (1L << (length - 1)) | bits(length - 1);
        }

        long signed() {
            long z = unsigned();
            return (z >>> 1) ^ -(z & 1);
        }

        /** A Rice code: its unary quotient counted a byte at a time (leading ones), then {@code k} bits. */
        long rice(int k) {
            int q = 0;
            while (true) {
                if (bitPos >= limit) {
                    throw new CatalogException("a range's runs are damaged: the data ends early");
                }
                int offset = (int) (bitPos & 7);
                // the byte's bits from bitPos on, at the top of an int, 0 bits after them
                int top = ((data[(int) (bitPos >>> 3)] << offset) & 0xFF) << 24;
                int ones = Integer.numberOfLeadingZeros(~top); // at most 8 - offset
                int take = Math.min(ones, ESCAPE - q);
                bitPos += take;
                q += take;
                if (q == ESCAPE) {
                    return unsigned();
                }
                if (ones < 8 - offset) {
                    bitPos++; // the 0 that ends the quotient
                    return ((long) q << k) | bits(k);
                }
            }
        }

        long[] column(int n) {
            long[] out = new long[n];
            if (n == 0) {
                return out;
            }
            long min = signed();
            int k = (int) bits(7);
            if (k == ALL_EQUAL) {
                Arrays.fill(out, min);
                return out;
            }
            if (k > 63) {
                throw new CatalogException("a range's runs are damaged: a column's parameter is " + k);
            }
            for (int i = 0; i < n; i++) {
                out[i] = min + rice(k);
            }
            return out;
        }

        /** Only the padding of the last byte may be left, as 0 bits. */
        void end() {
            if (limit - bitPos >= 8) {
                throw new CatalogException("a range's runs are damaged: " + (limit - bitPos) / 8 + " bytes too many");
            }
            while (bitPos < limit) {
                if (bit() != 0) {
                    throw new CatalogException("a range's runs are damaged: bits after the last column");
                }
            }
        }
    }
}
