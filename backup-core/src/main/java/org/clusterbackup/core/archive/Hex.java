package org.clusterbackup.core.archive;

import java.nio.charset.StandardCharsets;

/**
 * Lowercase hex of digests, in the loops that run for every entry of an archive (the index's records, the
 * tree digest): a table lookup per digit. {@link java.util.HexFormat} does the same through code general
 * enough for prefixes, delimiters and either case, which the JIT then compiles into each of those loops.
 */
public final class Hex {
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Hex() {}

    /** {@code bytes} as lowercase hex digits. */
    public static String format(byte[] bytes) {
        byte[] text = new byte[2 * bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            text[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
            text[2 * i + 1] = DIGITS[bytes[i] & 0xf];
        }
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes the bytes that the hex digits {@code hex} spell (either case) to {@code dst} from {@code offset}.
     *
     * @return the number of bytes written: half the digits
     * @throws IllegalArgumentException an odd number of digits, or a character that is not one
     */
    public static int decode(String hex, byte[] dst, int offset) {
        int length = hex.length();
        if ((length & 1) != 0) {
            throw new IllegalArgumentException("an odd number of hex digits: " + length);
        }
        for (int i = 0; i < length; i += 2) {
            dst[offset + i / 2] = (byte) (digit(hex, i) << 4 | digit(hex, i + 1));
        }
        return length / 2;
    }

    /** The bytes that the hex digits {@code hex} spell. */
    public static byte[] decode(String hex) {
        byte[] out = new byte[hex.length() / 2];
        decode(hex, out, 0);
        return out;
    }

    private static int digit(String hex, int at) {
        char c = hex.charAt(at);
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw new IllegalArgumentException("not a hex digit: '" + c + "' at " + at);
    }
}
