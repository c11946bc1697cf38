package org.clusterbackup.core.catalog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A SHA-256 as the {@code archives} columns hold it since SQLite's version 7 (PostgreSQL's 5): its 32 bytes,
 * not 64 hex digits — half the size, in a table that gains a row at every change of every target.
 *
 * <p>The catalog gives back exactly the text it was given. Every digest the server writes is 64 lowercase hex
 * digits and is stored as the 32 bytes they spell; any other text (a value written by hand, or by a test) is
 * stored as its UTF-8 bytes followed by one {@code 0xFF} byte — two when that would make 32 bytes. UTF-8 never
 * contains {@code 0xFF}, so the two forms cannot be confused: 32 bytes are a digest, anything else is text.
 */
final class DigestColumn {
    static final int SHA256_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();
    private static final byte MARK = (byte) 0xFF;

    private DigestColumn() {}

    static byte[] encode(String value) {
        if (value == null) {
            return null;
        }
        if (isLowercaseSha256(value)) {
            return HEX.parseHex(value);
        }
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        int marks = text.length + 1 == SHA256_BYTES ? 2 : 1;
        byte[] out = Arrays.copyOf(text, text.length + marks);
        Arrays.fill(out, text.length, out.length, MARK);
        return out;
    }

    /** @throws CatalogException the bytes are neither form */
    static String decode(byte[] stored) {
        if (stored == null) {
            return null;
        }
        if (stored.length == SHA256_BYTES) {
            return HEX.formatHex(stored);
        }
        int end = stored.length;
        while (end > 0 && stored[end - 1] == MARK) {
            end--;
        }
        if (end == stored.length || stored.length - end > 2) {
            throw new CatalogException("a digest in the catalog is damaged: " + stored.length + " bytes");
        }
        return new String(stored, 0, end, StandardCharsets.UTF_8);
    }

    private static boolean isLowercaseSha256(String value) {
        if (value.length() != 2 * SHA256_BYTES) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
