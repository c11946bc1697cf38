package org.clusterbackup.core.catalog;

import java.io.ByteArrayOutputStream;

/**
 * LEB128 varints (7 bits a byte, low first, high bit set on all but the last), zigzag for signed numbers,
 * and columns of numbers as a frame of reference: the minimum, then each value minus it.
 */
final class Varints extends ByteArrayOutputStream {
    void unsigned(long v) {
        long rest = v;
        while ((rest & ~0x7FL) != 0) {
            write((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        write((int) rest);
    }

    void signed(long v) {
        unsigned((v << 1) ^ (v >> 63));
    }

    /** Nothing for no values; else the minimum (signed), then each value minus it (unsigned). */
    void column(long[] values) {
        if (values.length == 0) {
            return;
        }
        long min = Long.MAX_VALUE;
        for (long v : values) {
            min = Math.min(min, v);
        }
        signed(min);
        for (long v : values) {
            unsigned(v - min);
        }
    }

    /** Reads what a {@link Varints} wrote; anything malformed is a damaged range. */
    static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        long unsigned() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= data.length) {
                    throw new CatalogException("a range's runs are damaged: a number is cut off");
                }
                int b = data[pos++];
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new CatalogException("a range's runs are damaged: a number is longer than 64 bits");
        }

        long signed() {
            long z = unsigned();
            return (z >>> 1) ^ -(z & 1);
        }

        long[] column(int n) {
            long[] out = new long[n];
            if (n == 0) {
                return out;
            }
            long min = signed();
            for (int i = 0; i < n; i++) {
                out[i] = min + unsigned();
            }
            return out;
        }

        void end() {
            if (pos != data.length) {
                throw new CatalogException("a range's runs are damaged: " + (data.length - pos) + " bytes too many");
            }
        }
    }
}
