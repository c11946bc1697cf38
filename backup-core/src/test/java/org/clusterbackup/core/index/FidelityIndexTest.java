package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.clusterbackup.core.archive.FidelityTrees;
import org.clusterbackup.core.archive.ManifestEntry;
import org.clusterbackup.core.archive.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's index of an archive with hard links, sparse files, extended attributes and sub-second mtimes. */
class FidelityIndexTest {
    @TempDir
    Path tmp;

    @Test
    void theIndexRecordsLinksSparseFilesAttributesAndNanosecondsFromTheTar() throws Exception {
        FidelityTrees.assumeXattrs(tmp);
        Path root = FidelityTrees.build(tmp, true);

        StoredArchives.Stored stored = StoredArchives.full(root, tmp, "a", 6);
        Map<String, IndexEntry> byPath =
                stored.entries().stream().collect(Collectors.toMap(IndexEntry::path, Function.identity()));
        Map<String, ManifestEntry> manifest = stored.manifest().entries().stream()
                .collect(Collectors.toMap(ManifestEntry::path, Function.identity()));

        IndexEntry link = byPath.get("other/link2");
        assertEquals(EntryKind.HARDLINK, link.kind());
        assertEquals("data/first.bin", link.linkTarget());
        IndexEntry big = byPath.get("sparse/big.img");
        assertTrue(big.sparse());
        assertEquals(FidelityTrees.BIG_SPARSE, big.size());
        assertTrue(big.dataLength() < 64 * 1024, "stored: " + big.dataLength());
        assertEquals(Trees.sha256(root.resolve("sparse/big.img")), big.sha256());
        assertEquals(1, big.mtimeNanos());
        assertEquals(123_456_789, byPath.get("plain.txt").mtimeNanos());
        assertEquals(
                manifest.get("attrs/tagged.txt").xattrs(),
                byPath.get("attrs/tagged.txt").xattrs());
        assertEquals(manifest.get("attrs").xattrs(), byPath.get("attrs").xattrs());
        assertNull(byPath.get("plain.txt").xattrs());
        assertEquals(manifest.get("sparse/big.img").sha256(), big.sha256());
    }

    @Test
    void aSparseFileIsFetchedWithItsHolesFilled() throws Exception {
        Path root = FidelityTrees.build(tmp, false);
        StoredArchives.Stored stored = StoredArchives.full(root, tmp, "a", 6);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (IndexFile index = stored.open();
                FileChannel channel = FileChannel.open(stored.archive(), StandardOpenOption.READ)) {
            FileExtractor.extract(
                    new SegmentReader(channel), FileExtractor.locate(index, "sparse/big.img"), out::write);
        }

        assertEquals(
                Trees.sha256(root.resolve("sparse/big.img")),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray())));
    }

    @Test
    void anIndexOfTheFirstFormatVersionIsStillRead() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.write(IndexFormat.MAGIC);
        out.writeShort(1);
        out.writeShort(0);
        out.writeByte(IndexFormat.ENTRY);
        out.writeByte('f');
        out.writeShort(0644);
        out.writeLong(1000);
        out.writeLong(1000);
        out.writeLong(1_700_000_000L);
        out.writeInt(0);
        out.writeLong(3);
        out.writeLong(0);
        out.writeLong(512);
        out.write(HexFormat.of().parseHex("cd".repeat(32)));
        out.writeInt(5);
        out.write("a.txt".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.writeByte(IndexFormat.END);
        out.writeLong(0);
        out.writeLong(1);
        out.writeLong(10240);
        out.writeLong(100);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(body.toByteArray());
        out.write(sha);
        Path file = Files.write(tmp.resolve("v1.idx"), body.toByteArray());

        List<IndexEntry> entries = new java.util.ArrayList<>();
        try (IndexFile index = IndexFile.open(file, HexFormat.of().formatHex(sha))) {
            index.read(new IndexFile.Visitor() {
                @Override
                public boolean entry(IndexEntry e) {
                    return entries.add(e);
                }
            });
        }

        assertEquals(
                List.of(new IndexEntry(
                        "a.txt",
                        EntryKind.FILE,
                        0644,
                        1000,
                        1000,
                        1_700_000_000L,
                        0,
                        3,
                        "cd".repeat(32),
                        null,
                        0,
                        512)),
                entries);
    }
}
