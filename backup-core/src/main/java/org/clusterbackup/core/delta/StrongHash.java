package org.clusterbackup.core.delta;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The strong hash of a block: XXH64 (seed 0), 64 bits. It confirms a {@link WeakSum} hit; with the weak sum
 * that makes 96 bits a block must agree on, so an accidental false match is out of reach. It is not meant to
 * resist someone crafting collisions: a forged match only makes the rebuilt file differ from the new one,
 * which the file's SHA-256, checked by the server, catches (the run then falls back to a full archive). A
 * cryptographic hash per block would cost a second SHA-256 pass over every byte read; this costs a few
 * tenths of a nanosecond per byte.
 */
public final class StrongHash {
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;
    /** P1 + P2, wrapped to 64 bits, as XXH64 seeds its first lane. */
    private static final long P1_PLUS_P2 = 0x60EA27EEADC0B5D6L;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private StrongHash() {}

    /** XXH64 of {@code bytes[offset, offset + length)}. */
    public static long of(byte[] bytes, int offset, int length) {
        int p = offset;
        int end = offset + length;
        long h;
        if (length >= 32) {
            long v1 = P1_PLUS_P2;
            long v2 = P2;
            long v3 = 0;
            long v4 = -P1;
            int limit = end - 32;
            do {
                v1 = round(v1, (long) LONGS.get(bytes, p));
                v2 = round(v2, (long) LONGS.get(bytes, p + 8));
                v3 = round(v3, (long) LONGS.get(bytes, p + 16));
                v4 = round(v4, (long) LONGS.get(bytes, p + 24));
                p += 32;
            } while (p <= limit);
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = P5;
        }
        h += length;
        while (p + 8 <= end) {
            h ^= round(0, (long) LONGS.get(bytes, p));
            h = Long.rotateLeft(h, 27) * P1 + P4;
            p += 8;
        }
        if (p + 4 <= end) {
            h ^= ((int) INTS.get(bytes, p) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            p += 4;
        }
        while (p < end) {
            h ^= (bytes[p] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
            p++;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long merge(long acc, long v) {
        acc ^= round(0, v);
        return acc * P1 + P4;
    }
}
