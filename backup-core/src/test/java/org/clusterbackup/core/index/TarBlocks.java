package org.clusterbackup.core.index;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-made tar streams, for entries our writer never makes and for headers that lie. */
final class TarBlocks {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A ustar header for {@code content} (padded), with a correct checksum unless told otherwise. */
    TarBlocks entry(String name, char type, byte[] content) {
        out.writeBytes(header(name, type, content.length, "ustar\0", true));
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
        return this;
    }

    TarBlocks raw(byte[] block) {
        out.writeBytes(block);
        return this;
    }

    /** Two zero blocks, padded to a whole 10 KiB record as our writer does. */
    byte[] end() {
        out.writeBytes(new byte[1024]);
        out.writeBytes(new byte[(10240 - out.size() % 10240) % 10240]);
        return out.toByteArray();
    }

    static byte[] header(String name, char type, long size, String magic, boolean goodChecksum) {
        byte[] b = new byte[512];
        put(b, 0, name);
        put(b, 100, "0000644\0");
        put(b, 108, "0001750\0");
        put(b, 116, "0001750\0");
        put(b, 124, String.format("%011o\0", size));
        put(b, 136, String.format("%011o\0", 1_700_000_000L));
        b[156] = (byte) type;
        put(b, 257, magic);
        put(b, 263, "00");
        put(b, 148, "        ");
        long sum = 0;
        for (byte x : b) {
            sum += x & 0xff;
        }
        put(b, 148, String.format("%06o\0 ", goodChecksum ? sum : sum + 1));
        return b;
    }

    static byte[] pax(String records) {
        byte[] data = records.getBytes(StandardCharsets.UTF_8);
        TarBlocks t = new TarBlocks();
        t.entry("./PaxHeaders/x", 'x', data);
        return t.out.toByteArray();
    }

    private static void put(byte[] b, int at, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, b, at, bytes.length);
    }
}
