package org.clusterbackup.core.delta;

/**
 * rsync's rolling checksum of a window of bytes: {@code a} the sum of the bytes, {@code b} the sum of the
 * running sums (each byte weighted by its distance from the window's end), packed as rsync packs them,
 * {@code a}'s low 16 bits under {@code b}'s. Sliding the window by one byte costs two additions, so every
 * offset of a file can be tried against the base's blocks; a hit is only a candidate, confirmed by the
 * {@link StrongHash}.
 *
 * <p>Not thread-safe: one per matcher.
 */
public final class WeakSum {
    private int a;
    private int b;
    private int length;

    /** The checksum of {@code bytes[offset, offset + length)}. */
    public static int of(byte[] bytes, int offset, int length) {
        WeakSum sum = new WeakSum();
        sum.reset(bytes, offset, length);
        return sum.value();
    }

    /** Starts over on the window {@code bytes[offset, offset + length)}. */
    public void reset(byte[] bytes, int offset, int length) {
        int x = 0;
        int y = 0;
        int i = offset;
        int end = offset + length;
        // Eight bytes a step: y gains the eight running sums at once (8x + 8b0 + 7b1 + ... + b7), which breaks
        // the byte-by-byte dependency chain; int arithmetic wraps alike either way, so the sums are the same.
        for (; i + 8 <= end; i += 8) {
            int b0 = bytes[i] & 0xff;
            int b1 = bytes[i + 1] & 0xff;
            int b2 = bytes[i + 2] & 0xff;
            int b3 = bytes[i + 3] & 0xff;
            int b4 = bytes[i + 4] & 0xff;
            int b5 = bytes[i + 5] & 0xff;
            int b6 = bytes[i + 6] & 0xff;
            int b7 = bytes[i + 7] & 0xff;
            y += 8 * (x + b0) + 7 * b1 + 6 * b2 + 5 * b3 + 4 * b4 + 3 * b5 + 2 * b6 + b7;
            x += b0 + b1 + b2 + b3 + b4 + b5 + b6 + b7;
        }
        for (; i < end; i++) {
            x += bytes[i] & 0xff;
            y += x;
        }
        a = x;
        b = y;
        this.length = length;
    }

    /** Slides the window by one byte: {@code out} leaves at its start, {@code in} joins at its end. */
    public void roll(byte out, byte in) {
        int o = out & 0xff;
        a += (in & 0xff) - o;
        b += a - length * o;
    }

    public int value() {
        return (a & 0xffff) | (b << 16);
    }
}
