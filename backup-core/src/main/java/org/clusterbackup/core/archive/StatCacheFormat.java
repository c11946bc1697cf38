package org.clusterbackup.core.archive;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The bytes of a {@link StatCache} file, big-endian:
 * <pre>
 *   u32 magic "CBSC" · u16 version (3) · UTF root path (DataOutput.writeUTF) · u32 count
 *   count × { u16 bytes shared with the previous name · u16 suffix length · suffix (UTF-8)
 *             · u8 type · u32 mode · u64 size · s64 mtime seconds · u32 mtime nanoseconds
 *             · s64 ctime seconds · u32 ctime nanoseconds · u64 inode · 32 bytes SHA-256
 *             · u8 extended attributes: 0 not listed, 1 none, 2 some, then the 32 bytes of their digest }
 *   u32 CRC-32 of all the bytes before it
 * </pre>
 * Names are sorted by their UTF-8 bytes, so the shared-prefix coding removes most of each path. Older
 * versions are still read, their entries with attributes not listed (so each file's are listed once more):
 * version 2 is version 3 without the attribute byte; version 1 also kept each time as one u64 of
 * nanoseconds, which ends in 2262.
 */
final class StatCacheFormat {
    /** The longest name an entry can carry (its length is a u16). */
    static final int MAX_NAME_BYTES = 0xFFFF;

    private static final int MAGIC = 0x43425343; // "CBSC"
    private static final int VERSION = 3;
    /** Without the attribute byte: still read, never written. */
    private static final int VERSION_NO_XATTRS = 2;
    /** Times as nanoseconds in one long, no attribute byte: still read, never written. */
    private static final int VERSION_NANOS = 1;

    private static final int XATTRS_NOT_LISTED = 0;
    private static final int XATTRS_NONE = 1;
    private static final int XATTRS_DIGEST = 2;
    private static final int HASH_BYTES = 32;

    private StatCacheFormat() {}

    static void write(DataOutputStream data, String root, Map<String, StatCache.Entry> entries) throws IOException {
        CRC32 crc = new CRC32();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(data, crc));
        List<Map.Entry<byte[], StatCache.Entry>> sorted = new ArrayList<>(entries.size());
        for (Map.Entry<String, StatCache.Entry> e : entries.entrySet()) {
            sorted.add(Map.entry(e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue()));
        }
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeUTF(root);
        out.writeInt(sorted.size());
        byte[] previous = new byte[0];
        for (Map.Entry<byte[], StatCache.Entry> item : sorted) {
            byte[] name = item.getKey();
            StatCache.Entry e = item.getValue();
            int shared = Arrays.mismatch(previous, name);
            if (shared < 0) {
                shared = name.length; // unreachable: names are unique
            }
            out.writeShort(shared);
            out.writeShort(name.length - shared);
            out.write(name, shared, name.length - shared);
            out.writeByte(EntryType.FILE.code());
            out.writeInt(e.mode());
            out.writeLong(e.size());
            out.writeLong(e.mtime().getEpochSecond());
            out.writeInt(e.mtime().getNano());
            out.writeLong(e.ctime().getEpochSecond());
            out.writeInt(e.ctime().getNano());
            out.writeLong(e.inode());
            out.write(e.sha256());
            writeXattrs(out, e.xattrs());
            previous = name;
        }
        out.flush();
        data.writeInt((int) crc.getValue());
    }

    static Map<String, StatCache.Entry> read(InputStream raw, String rootKey) throws IOException {
        CRC32 crc = new CRC32();
        DataInputStream data = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        DataInputStream in = new DataInputStream(new CheckedInputStream(data, crc));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a stat cache (bad magic)");
        }
        int version = in.readUnsignedShort();
        if (version < VERSION_NANOS || version > VERSION) {
            throw new IOException(
                    "stat cache version " + version + ", this agent reads " + VERSION_NANOS + " to " + VERSION);
        }
        String fileRoot = in.readUTF();
        if (!fileRoot.equals(rootKey)) {
            throw new IOException("stat cache belongs to " + fileRoot);
        }
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative entry count " + count);
        }
        // A corrupt count must not become a huge allocation: the map grows with entries actually read.
        Map<String, StatCache.Entry> entries = new HashMap<>(Math.min(count, 1 << 16) * 2);
        byte[] name = new byte[256];
        int nameLength = 0;
        byte[] hash = new byte[HASH_BYTES];
        for (int i = 0; i < count; i++) {
            int shared = in.readUnsignedShort();
            int suffix = in.readUnsignedShort();
            if (shared > nameLength) {
                throw new IOException(
                        "entry " + i + " shares " + shared + " bytes with a " + nameLength + "-byte name");
            }
            if (shared + suffix > name.length) {
                name = Arrays.copyOf(name, Math.max(shared + suffix, name.length * 2));
            }
            in.readFully(name, shared, suffix);
            nameLength = shared + suffix;
            int type = in.readUnsignedByte();
            if (type != EntryType.FILE.code()) {
                throw new IOException("entry " + i + " has type " + type);
            }
            int mode = in.readInt();
            long size = in.readLong();
            Instant mtime = readTime(in, version);
            Instant ctime = readTime(in, version);
            long inode = in.readLong();
            in.readFully(hash);
            String xattrs = version == VERSION ? readXattrs(in, i) : null;
            entries.put(
                    new String(name, 0, nameLength, StandardCharsets.UTF_8),
                    new StatCache.Entry(mode, size, mtime, ctime, inode, hash.clone(), xattrs));
        }
        int expected = (int) crc.getValue();
        int stored = data.readInt();
        if (stored != expected) {
            throw new IOException("checksum mismatch");
        }
        if (data.read() != -1) {
            throw new IOException("trailing bytes after the checksum");
        }
        return entries;
    }

    private static void writeXattrs(DataOutputStream out, String digest) throws IOException {
        if (digest == null) {
            out.writeByte(XATTRS_NOT_LISTED);
        } else if (digest.isEmpty()) {
            out.writeByte(XATTRS_NONE);
        } else {
            out.writeByte(XATTRS_DIGEST);
            out.write(HexFormat.of().parseHex(digest));
        }
    }

    private static String readXattrs(DataInputStream in, int entry) throws IOException {
        int state = in.readUnsignedByte();
        switch (state) {
            case XATTRS_NOT_LISTED:
                return null;
            case XATTRS_NONE:
                return "";
            case XATTRS_DIGEST:
                byte[] digest = new byte[HASH_BYTES];
                in.readFully(digest);
                return HexFormat.of().formatHex(digest);
            default:
                throw new IOException("entry " + entry + " has attribute state " + state);
        }
    }

    private static Instant readTime(DataInputStream in, int version) throws IOException {
        if (version == VERSION_NANOS) {
            return Instant.EPOCH.plusNanos(in.readLong());
        }
        long seconds = in.readLong();
        int nanos = in.readInt();
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IOException("a time has " + nanos + " nanoseconds");
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
