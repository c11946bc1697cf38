package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexFileTest {
    @TempDir
    Path tmp;

    private String write(Path file) throws IOException {
        try (IndexFileWriter w = new IndexFileWriter(file)) {
            w.segment(new IndexSegment(0, 0, 2048, 10, 100, 0xfedcba98L));
            w.entry(new IndexEntry(
                    "a.txt", EntryKind.FILE, 0644, 1000, 1000, 1_700_000_000L, 5, 3, "ab".repeat(32), null, 0, 512));
            w.entry(new IndexEntry("l", EntryKind.SYMLINK, 0777, 0, 0, -5, 0, 0, null, "a.txt", 1024, 1536));
            return w.finish(2048, 120);
        }
    }

    @Test
    void recordsReadBackAsWritten() throws Exception {
        Path file = tmp.resolve("x.idx");
        String sha = write(file);
        StringBuilder seen = new StringBuilder();
        try (IndexFile index = IndexFile.open(file, sha)) {
            index.read(new IndexFile.Visitor() {
                @Override
                public boolean segment(IndexSegment s) {
                    seen.append(s).append('\n');
                    return true;
                }

                @Override
                public boolean entry(IndexEntry e) {
                    seen.append(e).append('\n');
                    return true;
                }
            });
        }
        assertEquals("""
                IndexSegment[number=0, tarOffset=0, tarLength=2048, gzOffset=10, gzLength=100, crc32=4275878552]
                IndexEntry[path=a.txt, kind=FILE, mode=420, uid=1000, gid=1000, mtimeSeconds=1700000000, mtimeNanos=5, \
                size=3, sha256=%s, linkTarget=null, headerOffset=0, dataOffset=512, xattrs=null, sparse=false, \
                dataLength=3]
                IndexEntry[path=l, kind=SYMLINK, mode=511, uid=0, gid=0, mtimeSeconds=-5, mtimeNanos=0, size=0, \
                sha256=null, linkTarget=a.txt, headerOffset=1024, dataOffset=1536, xattrs=null, sparse=false, \
                dataLength=0]
                """.formatted("ab".repeat(32)), seen.toString());
    }

    @Test
    void anIndexThatIsNotTheOneTheCatalogRecordedIsRefused() throws Exception {
        Path file = tmp.resolve("x.idx");
        write(file);
        UnusableIndexException e =
                assertThrows(UnusableIndexException.class, () -> IndexFile.open(file, "00".repeat(32)));
        assertTrue(e.getMessage().startsWith("its index file is not the one recorded for it"), e.getMessage());
    }

    @Test
    void aTruncatedIndexIsRefused() throws Exception {
        Path file = tmp.resolve("x.idx");
        String sha = write(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
        UnusableIndexException e = assertThrows(UnusableIndexException.class, () -> IndexFile.open(file, sha));
        assertTrue(e.getMessage().startsWith("its index file is damaged"), e.getMessage());
    }

    @Test
    void anIndexOfAnUnknownVersionIsNotReadByGuess() throws Exception {
        Path file = tmp.resolve("x.idx");
        write(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[9] = 3; // version 3, which does not exist yet
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(bytes, 0, bytes.length - 32);
        byte[] digest = sha.digest();
        System.arraycopy(digest, 0, bytes, bytes.length - 32, 32);
        Files.write(file, bytes);
        UnusableIndexException e = assertThrows(
                UnusableIndexException.class,
                () -> IndexFile.open(file, HexFormat.of().formatHex(digest)));
        assertTrue(
                e.getMessage().startsWith("its index file has format version 3; this server reads versions 1 to 2"),
                e.getMessage());
    }
}
