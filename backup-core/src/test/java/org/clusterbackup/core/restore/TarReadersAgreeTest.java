package org.clusterbackup.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One parser, one truth: archives that tar readers can read differently are refused whole, so the agent never
 * restores what {@code tar -tvzf} does not show. Each is written block by block, as no tool makes them.
 * (A second entry of one name is refused too: see {@code UnsafeArchiveTest}.)
 */
class TarReadersAgreeTest {
    @TempDir
    Path tmp;

    @Test
    void anEntryAfterTheEndOfArchiveBlocksIsRefused() throws Exception {
        byte[] tar = concat(
                dir("./"), file("a.txt", "seen\n"), new byte[1024], file("hidden.txt", "unseen\n"), new byte[1024]);

        assertRefused(tar, "data after the end-of-archive blocks");
    }

    @Test
    void aPaxHeaderGivingThePathTwoValuesIsRefused() throws Exception {
        byte[] tar = concat(
                dir("./"), pax('x', "path=listed.txt", "path=restored.txt"), file("x", "which?\n"), new byte[1024]);

        assertRefused(tar, "gives 'path' two values");
    }

    @Test
    void aGnuLongNameAndAPaxPathThatDisagreeAreRefused() throws Exception {
        byte[] tar = concat(
                dir("./"), longName("gnu-name.txt"), pax('x', "path=pax-name.txt"), file("x", "?\n"), new byte[1024]);

        assertRefused(tar, "a GNU long name 'gnu-name.txt' and a PAX path 'pax-name.txt'");
    }

    @Test
    void aGlobalPaxHeaderSettingThePathIsRefused() throws Exception {
        byte[] tar = concat(dir("./"), pax('g', "path=everything.txt"), file("x", "?\n"), new byte[1024]);

        assertRefused(tar, "a global PAX header that sets 'path'");
    }

    @Test
    void aDirectoryEntryWithDataIsRefused() throws Exception {
        byte[] data = "smuggled".getBytes(StandardCharsets.US_ASCII);
        byte[] tar = concat(dir("./"), header("d/", '5', data.length), pad(data), new byte[1024]);

        assertRefused(tar, "entry with 8 bytes of data");
    }

    @Test
    void aPlainArchiveOfTheSameBlocksIsRestored() throws Exception {
        byte[] tar = concat(dir("./"), pax('x', "path=listed.txt"), file("x", "one name\n"), new byte[1024]);

        new SafeExtractor(ExtractHooks.NONE).extract(new ByteArrayInputStream(gzip(tar)), target());

        assertEquals("one name\n", Files.readString(target().resolve("listed.txt")));
    }

    private void assertRefused(byte[] tar, String reason) {
        UnsafeArchiveException e = assertThrows(
                UnsafeArchiveException.class,
                () -> new SafeExtractor(ExtractHooks.NONE).extract(new ByteArrayInputStream(gzip(tar)), target()));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertFalse(Files.exists(target()), "nothing is restored");
    }

    private Path target() {
        return tmp.resolve("app");
    }

    private static byte[] dir(String name) {
        return header(name, '5', 0);
    }

    private static byte[] file(String name, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        return concat(header(name, '0', data.length), pad(data));
    }

    private static byte[] longName(String name) {
        byte[] data = (name + "\0").getBytes(StandardCharsets.UTF_8);
        return concat(header("././@LongLink", 'L', data.length), pad(data));
    }

    private static byte[] pax(char type, String... records) {
        StringBuilder text = new StringBuilder();
        for (String r : records) {
            int base = r.getBytes(StandardCharsets.UTF_8).length + 2; // the space and the newline
            int length = base + 1;
            while (base + String.valueOf(length).length() != length) {
                length = base + String.valueOf(length).length();
            }
            text.append(length).append(' ').append(r).append('\n');
        }
        byte[] data = text.toString().getBytes(StandardCharsets.UTF_8);
        return concat(header("pax", type, data.length), pad(data));
    }

    /** A ustar header block with a valid checksum. */
    private static byte[] header(String name, char type, long size) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000755");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", Tgz.MTIME));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        return h;
    }

    private static void put(byte[] block, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, block, at, b.length);
    }

    private static byte[] pad(byte[] data) {
        return java.util.Arrays.copyOf(data, (data.length + 511) / 512 * 512);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] tar) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(tar);
            gz.write(new byte[10240 - tar.length % 10240]);
        }
        return out.toByteArray();
    }
}
