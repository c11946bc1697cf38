package org.clusterbackup.core.index;

import java.nio.charset.StandardCharsets;

/**
 * One 512-byte POSIX ustar header block, parsed strictly: the checksum must match, numbers must be octal,
 * the magic must be {@code ustar\0} version {@code 00} (what our writer emits). Anything else is refused,
 * not guessed at: an agent that sends it is broken or hostile.
 */
record TarHeader(String name, String linkName, char type, int mode, long uid, long gid, long mtime, long size) {
    static final int BLOCK = 512;

    /** @param offset where the block starts in the tar stream, for messages */
    static TarHeader parse(byte[] b, long offset) throws ArchiveFormatException {
        long stored = octal(b, 148, 8, "checksum", offset);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (b[i] & 0xff);
        }
        if (sum != stored) {
            throw new ArchiveFormatException("the tar header at tar offset " + offset + " has checksum " + stored
                    + " but its bytes sum to " + sum);
        }
        if (!ascii(b, 257, 6).equals("ustar\0") || !ascii(b, 263, 2).equals("00")) {
            throw new ArchiveFormatException("the tar header at tar offset " + offset + " is not a POSIX ustar header");
        }
        String name = string(b, 0, 100);
        String prefix = string(b, 345, 155);
        // Some writers (Commons Compress among them) put the file type bits above the permissions: drop them.
        long mode = octal(b, 100, 8, "mode", offset) & 07777;
        return new TarHeader(
                prefix.isEmpty() ? name : prefix + "/" + name,
                string(b, 157, 100),
                (char) (b[156] & 0xff),
                (int) mode,
                octal(b, 108, 8, "uid", offset),
                octal(b, 116, 8, "gid", offset),
                octal(b, 136, 12, "mtime", offset),
                octal(b, 124, 12, "size", offset));
    }

    static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** An octal field: optional leading spaces, digits, then NUL or space to the end. Base-256 is refused. */
    private static long octal(byte[] b, int at, int length, String field, long offset) throws ArchiveFormatException {
        int i = at;
        int end = at + length;
        while (i < end && b[i] == ' ') {
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < end && b[i] >= '0' && b[i] <= '7'; i++) {
            value = (value << 3) | (b[i] - '0');
            digits++;
        }
        for (; i < end; i++) {
            if (b[i] != 0 && b[i] != ' ') {
                throw new ArchiveFormatException("the tar header at tar offset " + offset + " has a " + field
                        + " field that is not an octal number");
            }
        }
        if (digits == 0 && b[at] != 0) {
            throw new ArchiveFormatException(
                    "the tar header at tar offset " + offset + " has an empty " + field + " field");
        }
        return value;
    }

    private static String string(byte[] b, int at, int length) {
        int end = at;
        while (end < at + length && b[end] != 0) {
            end++;
        }
        return new String(b, at, end - at, StandardCharsets.UTF_8);
    }

    private static String ascii(byte[] b, int at, int length) {
        return new String(b, at, length, StandardCharsets.ISO_8859_1);
    }
}
