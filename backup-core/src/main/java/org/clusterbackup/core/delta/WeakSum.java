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
        for (int i = offset, end = offset + length; i < end; i++) {
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
