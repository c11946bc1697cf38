package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache written in format 1 (times as one count of nanoseconds) by an older agent still vouches for files. */
class StatCacheFormatTest {
    @TempDir
    Path tmp;

    @Test
    void aFormatOneCacheIsReadSoAnUpgradedAgentRehashesNothing() throws IOException {
        Path root = Trees.sample(tmp);
        Path stateDir = Files.createDirectories(tmp.resolve("state"));
        Files.write(StatCache.fileFor(stateDir, root), formatOne(root));
        CountingOpener opener = new CountingOpener();
        TreeArchiver archiver =
                new TreeArchiver(ArchiveOptions.defaults().withOpener(opener).withClock(ManualClock.hourAhead()));

        StatCache cache = StatCache.load(stateDir, root);
        archiver.scan(root, cache);

        assertEquals(8, cache.size());
        assertEquals(0, opener.opens(), () -> "opened " + opener.opened());
    }

    @Test
    void eachEntryKeepsWhetherItsAttributesWereListedAndTheirDigest() throws IOException {
        byte[] hash = new byte[32];
        java.time.Instant t = java.time.Instant.ofEpochSecond(1_700_000_000L, 123);
        String digest = Xattrs.digest(Map.of("user.origin", "build 42"));
        Map<String, StatCache.Entry> entries = new java.util.HashMap<>();
        entries.put("a.txt", new StatCache.Entry(0644, 1, t, t, 7, hash, null));
        entries.put("b.txt", new StatCache.Entry(0644, 2, t, t, 8, hash, ""));
        entries.put("c.txt", new StatCache.Entry(0644, 3, t, t, 9, hash, digest));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatCacheFormat.write(new DataOutputStream(bytes), "/r", entries);

        Map<String, StatCache.Entry> read =
                StatCacheFormat.read(new java.io.ByteArrayInputStream(bytes.toByteArray()), "/r");

        assertEquals(null, read.get("a.txt").xattrs());
        assertEquals("", read.get("b.txt").xattrs());
        assertEquals(digest, read.get("c.txt").xattrs());
        entries.forEach((name, e) -> assertEquals(true, e.sameAs(read.get(name)), name));
    }

    @Test
    void aFormatTwoCacheVouchesForContentButItsFilesAttributesAreListedOnce() throws IOException {
        Path root = Trees.sample(tmp);
        Path stateDir = Files.createDirectories(tmp.resolve("state"));
        Files.write(StatCache.fileFor(stateDir, root), formatTwo(formatOne(root)));
        CountingOpener opener = new CountingOpener();
        List<String> listed = new java.util.concurrent.CopyOnWriteArrayList<>();
        TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults()
                .withOpener(opener)
                .withClock(ManualClock.hourAhead())
                .withHooks(new ArchiveHooks() {
                    @Override
                    public void beforeXattrs(String name) {
                        listed.add(name);
                    }
                }));

        StatCache cache = StatCache.load(stateDir, root);
        archiver.scan(root, cache);
        assertEquals(0, opener.opens(), () -> "opened " + opener.opened());
        assertEquals(true, listed.contains("top.txt"), "format 2 did not keep attributes: they are listed");
        cache.save();
        listed.clear();

        archiver.scan(root, StatCache.load(stateDir, root));
        assertEquals(List.of(), listed.stream().filter(n -> !n.endsWith("/")).toList());
    }

    /** A format-1 cache respelled as format 2: each time as seconds and nanoseconds. */
    private static byte[] formatTwo(byte[] formatOne) throws IOException {
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(formatOne));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(in.readInt());
        in.readUnsignedShort();
        out.writeShort(2);
        out.writeUTF(in.readUTF());
        int count = in.readInt();
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            out.writeShort(in.readUnsignedShort());
            byte[] name = new byte[in.readUnsignedShort()];
            in.readFully(name);
            out.writeShort(name.length);
            out.write(name);
            out.writeByte(in.readUnsignedByte());
            out.writeInt(in.readInt());
            out.writeLong(in.readLong());
            for (int t = 0; t < 2; t++) {
                long nanos = in.readLong();
                out.writeLong(Math.floorDiv(nanos, 1_000_000_000L));
                out.writeInt((int) Math.floorMod(nanos, 1_000_000_000L));
            }
            out.writeLong(in.readLong());
            byte[] hash = new byte[32];
            in.readFully(hash);
            out.write(hash);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }

    /** The cache of every regular file under {@code root}, as format 1 spelled it. */
    private static byte[] formatOne(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = new ArrayList<>(walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .toList());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x43425343);
        out.writeShort(1);
        out.writeUTF(root.toAbsolutePath().normalize().toString());
        out.writeInt(files.size());
        for (Path f : files) {
            byte[] name = root.relativize(f).toString().getBytes(StandardCharsets.UTF_8);
            Map<String, Object> a =
                    Files.readAttributes(f, "unix:mode,size,lastModifiedTime,ctime,ino", LinkOption.NOFOLLOW_LINKS);
            out.writeShort(0); // nothing shared with the previous name: valid, if not compact
            out.writeShort(name.length);
            out.write(name);
            out.writeByte(EntryType.FILE.code());
            out.writeInt((Integer) a.get("mode") & 07777);
            out.writeLong((Long) a.get("size"));
            out.writeLong(((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS));
            out.writeLong(((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS));
            out.writeLong((Long) a.get("ino"));
            out.write(HexFormat.of().parseHex(Trees.sha256(f)));
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }
}
