package org.clusterbackup.core.archive;

/**
 * The CRC-32 (the gzip and zip polynomial, as {@link java.util.zip.CRC32}) of a concatenation, from the
 * CRC-32s of its parts: what zlib's {@code crc32_combine} computes, written anew for Java.
 *
 * <p>How it works. A CRC-32 is the remainder of a polynomial division over GF(2) (bit-reflected, with the
 * initial and final inversions cancelling out when combining). Appending {@code len2} bytes to the first
 * part multiplies its remainder by x<sup>8·len2</sup> modulo the CRC polynomial; the second part's CRC is
 * then added (xor). x<sup>8·len2</sup> mod p is built by square-and-multiply from a table of
 * x<sup>2<sup>k</sup></sup> mod p, so one combine costs at most 64 modular multiplications of 32-bit
 * polynomials, whatever the lengths.
 *
 * <p>Used to write the trailer of a segmented archive (each segment's CRC is computed where it is
 * compressed) and to check one from its segments.
 */
public final class Crc32Combine {
    /** The reflected CRC-32 polynomial (x<sup>32</sup> term implied). */
    private static final int POLY = 0xEDB88320;
    /** x<sup>0</sup> = 1 in the reflected representation: the top bit. */
    private static final int ONE = 0x80000000;
    /**
     * {@code X2N[k]} = x<sup>2<sup>k</sup></sup> mod p. The order of x modulo p divides 2<sup>32</sup>-1, so
     * x<sup>2<sup>k+32</sup></sup> = x<sup>2<sup>k</sup></sup>: 32 entries serve every k.
     */
    private static final int[] X2N = new int[32];

    static {
        int p = ONE >>> 1; // x^1
        X2N[0] = p;
        for (int k = 1; k < X2N.length; k++) {
            p = multiply(p, p);
            X2N[k] = p;
        }
    }

    private Crc32Combine() {}

    /**
     * @param crc1 CRC-32 of the first part
     * @param crc2 CRC-32 of the second part
     * @param length2 length in bytes of the second part, 0 or more
     * @return the CRC-32 of the first part followed by the second, 0 to 2<sup>32</sup>-1
     */
    public static long combine(long crc1, long crc2, long length2) {
        if (length2 < 0) {
            throw new IllegalArgumentException("length2 cannot be negative, was " + length2);
        }
        int shifted = multiply(xPower8n(length2), (int) crc1);
        return (shifted ^ (int) crc2) & 0xFFFFFFFFL;
    }

    /** x<sup>8·n</sup> mod p. */
    private static int xPower8n(long n) {
        int p = ONE;
        int k = 3; // 8·n = n·2^3
        while (n != 0) {
            if ((n & 1) != 0) {
                p = multiply(X2N[k & 31], p);
            }
            n >>>= 1;
            k++;
        }
        return p;
    }

    /** a·b mod p, both reflected (bit 31 is the x<sup>0</sup> coefficient). */
    private static int multiply(int a, int b) {
        int m = ONE;
        int product = 0;
        while (true) {
            if ((a & m) != 0) {
                product ^= b;
                if ((a & (m - 1)) == 0) {
                    break;
                }
            }
            m >>>= 1;
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
        return product;
    }
}
