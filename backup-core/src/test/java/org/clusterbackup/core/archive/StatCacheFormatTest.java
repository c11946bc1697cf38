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
        TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults().withOpener(opener)
                .withClock(ManualClock.hourAhead()));

        StatCache cache = StatCache.load(stateDir, root);
        archiver.scan(root, cache);

        assertEquals(8, cache.size());
        assertEquals(0, opener.opens(), () -> "opened " + opener.opened());
    }

    /** The cache of every regular file under {@code root}, as format 1 spelled it. */
    private static byte[] formatOne(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = new ArrayList<>(walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x43425343);
        out.writeShort(1);
        out.writeUTF(root.toAbsolutePath().normalize().toString());
        out.writeInt(files.size());
        for (Path f : files) {
            byte[] name = root.relativize(f).toString().getBytes(StandardCharsets.UTF_8);
            Map<String, Object> a = Files.readAttributes(f, "unix:mode,size,lastModifiedTime,ctime,ino",
                    LinkOption.NOFOLLOW_LINKS);
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
