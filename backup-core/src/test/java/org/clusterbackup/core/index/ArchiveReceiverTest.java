package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveReceiverTest {
    @TempDir
    Path tmp;

    private Path indexFile() {
        return tmp.resolve("a.idx");
    }

    private String receive(List<Message> wire) throws ArchiveFormatException, IOException {
        try (ArchiveReceiver r = new ArchiveReceiver(indexFile())) {
            return SegmentedWire.receive(r, wire);
        }
    }

    private String refusal(List<Message> wire) {
        return assertThrows(ArchiveFormatException.class, () -> receive(wire)).getMessage();
    }

    private byte[] sampleTar() throws IOException {
        Path root = Trees.sample(tmp.resolve("tree"));
        Trees.write(root, "big.bin", "0123456789abcdef".repeat(40_000));
        return SegmentedWire.tarOf(root);
    }

    @Test
    void indexRecordsEveryEntryAsTheTarStreamHasIt() throws Exception {
        byte[] tar = sampleTar();
        List<Message> wire = SegmentedWire.wire(tar, 100_000, 30_000);

        String sha = receive(wire);

        List<IndexEntry> entries = new ArrayList<>();
        List<IndexSegment> segments = new ArrayList<>();
        try (IndexFile index = IndexFile.open(indexFile(), sha)) {
            index.read(new IndexFile.Visitor() {
                @Override
                public boolean segment(IndexSegment s) {
                    return segments.add(s);
                }

                @Override
                public boolean entry(IndexEntry e) {
                    return entries.add(e);
                }
            });
        }
        List<String> expected = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry t;
            while ((t = in.getNextEntry()) != null) {
                String kind = t.isDirectory() ? "dir" : t.isSymbolicLink() ? "symlink" : "file";
                String name =
                        t.isDirectory() ? t.getName().substring(0, t.getName().length() - 1) : t.getName();
                expected.add(name + " " + kind + " " + Integer.toOctalString(t.getMode() & 07777) + " " + t.getSize()
                        + " " + (t.isSymbolicLink() ? t.getLinkName() : null) + " "
                        + (kind.equals("file") ? sha256(in.readAllBytes()) : null));
            }
        }
        assertEquals(
                expected,
                entries.stream()
                        .map(e -> e.path() + " " + e.kind().label() + " " + Integer.toOctalString(e.mode()) + " "
                                + e.size() + " " + e.linkTarget() + " " + e.sha256())
                        .toList());
        for (IndexEntry e : entries) {
            if (e.kind() == EntryKind.FILE) {
                byte[] content = Arrays.copyOfRange(tar, (int) e.dataOffset(), (int) e.dataEnd());
                assertEquals(e.sha256(), sha256(content), "data offset of " + e.path());
            }
        }
        byte[] tgz = SegmentedWire.tgz(wire);
        long tarAt = 0;
        for (IndexSegment s : segments) {
            assertEquals(tarAt, s.tarOffset());
            byte[] alone = inflate(Arrays.copyOfRange(tgz, (int) s.gzOffset(), (int) (s.gzOffset() + s.gzLength())));
            assertEquals(s.tarLength(), alone.length);
            assertTrue(Arrays.equals(alone, Arrays.copyOfRange(tar, (int) s.tarOffset(), (int) s.tarEnd())));
            tarAt = s.tarEnd();
        }
        assertEquals(tar.length, tarAt);
        try (GZIPInputStream whole = new GZIPInputStream(new ByteArrayInputStream(tgz))) {
            assertTrue(Arrays.equals(tar, whole.readAllBytes()), "the stored bytes are one valid gzip member");
        }
    }

    @Test
    void segmentWhoseCrcIsNotTheDeclaredOneIsRefused() throws IOException {
        List<Message> wire = SegmentedWire.wire(sampleTar(), 100_000, 64 * 1024);
        Segment s = (Segment) wire.get(3);
        wire.set(3, new Segment(s.tarLength(), s.gzLength(), s.crc32() ^ 1));
        assertTrue(refusal(wire).startsWith("segment 1 has CRC-32"), refusal(wire));
    }

    @Test
    void segmentThatInflatesToLessThanDeclaredIsRefused() throws IOException {
        List<Message> wire = SegmentedWire.wire(sampleTar(), 100_000, 64 * 1024);
        Segment s = (Segment) wire.get(1);
        wire.set(1, new Segment(s.tarLength() + 1, s.gzLength(), s.crc32()));
        assertEquals("segment 0 inflates to 100000 bytes, 100001 were declared", refusal(wire));
    }

    @Test
    void segmentThatInflatesToMoreThanDeclaredIsRefused() throws IOException {
        List<Message> wire = SegmentedWire.wire(sampleTar(), 100_000, 64 * 1024);
        Segment s = (Segment) wire.get(1);
        wire.set(1, new Segment(s.tarLength() - 1, s.gzLength(), s.crc32()));
        assertEquals("segment 0 inflates to more than the declared 99999 bytes", refusal(wire));
    }

    @Test
    void segmentLongerThanDeclaredMeansDataStraddlingItsEnd() throws IOException {
        List<Message> wire = SegmentedWire.wire(sampleTar(), 100_000, 64 * 1024);
        Segment s = (Segment) wire.get(1);
        wire.set(1, new Segment(s.tarLength(), s.gzLength() - 1, s.crc32()));
        assertTrue(refusal(wire).contains("straddles the end of segment 0"), refusal(wire));
    }

    @Test
    void segmentShorterThanDeclaredMeansASegmentInsideASegment() throws IOException {
        List<Message> wire = SegmentedWire.wire(sampleTar(), 100_000, 64 * 1024);
        Segment s = (Segment) wire.get(1);
        wire.set(1, new Segment(s.tarLength(), s.gzLength() + 5, s.crc32()));
        assertEquals("a Segment message inside segment 0, 5 bytes before its end", refusal(wire));
    }

    @Test
    void segmentEndingWithAFinalBlockIsRefused() throws IOException {
        byte[] tar = sampleTar();
        List<Message> wire = SegmentedWire.wire(tar, tar.length, Integer.MAX_VALUE);
        Deflater d = new Deflater(6, true);
        d.setInput(tar);
        d.finish();
        byte[] buf = new byte[tar.length + 1024];
        int n = d.deflate(buf);
        d.end();
        Segment s = (Segment) wire.get(1);
        wire.set(1, new Segment(s.tarLength(), n, s.crc32()));
        wire.set(2, new Data(Arrays.copyOf(buf, n)));
        assertEquals("segment 0 holds a final deflate block: the stream ends before the archive does", refusal(wire));
    }

    @Test
    void segmentEndingInsideAStoredBlockIsRefused() throws IOException {
        // A stored block announcing 10 bytes, of which 5 come: alone they inflate to what was declared, but
        // the next segment's bytes would be read as the other 5.
        byte[] content = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] gz = {0, 10, 0, (byte) 0xf5, (byte) 0xff, 'h', 'e', 'l', 'l', 'o'};
        CRC32 crc = new CRC32();
        crc.update(content);
        List<Message> wire =
                List.of(new Data(GzipLayout.header()), new Segment(5, gz.length, crc.getValue()), new Data(gz));
        assertEquals("segment 0 does not end on a deflate block boundary (it must end with SYNC_FLUSH)", refusal(wire));
    }

    @Test
    void garbageTarIsRefusedAtItsFirstHeader() {
        byte[] garbage = new byte[20_480];
        new java.util.Random(7).nextBytes(garbage);
        assertTrue(refusal(SegmentedWire.wire(garbage, 8192, 4096)).startsWith("the tar header at tar offset 0 has"));
    }

    @Test
    void tarStreamWithoutItsEndBlocksIsRefused() throws IOException {
        byte[] tar = sampleTar();
        byte[] cut = Arrays.copyOf(tar, tar.length - 10_240);
        assertTrue(refusal(SegmentedWire.wire(cut, 100_000, 64 * 1024)).contains("without its end-of-archive blocks"));
    }

    @Test
    void headerWithAWrongChecksumIsRefused() {
        byte[] tar = new TarBlocks()
                .raw(TarBlocks.header("a.txt", '0', 0, "ustar\0", false))
                .end();
        assertTrue(refusal(SegmentedWire.wire(tar, 4096, 4096)).contains("has checksum"));
    }

    @Test
    void gnuHeaderIsRefused() {
        byte[] tar = new TarBlocks()
                .raw(TarBlocks.header("a.txt", '0', 0, "ustar ", true))
                .end();
        assertEquals(
                "the tar header at tar offset 0 is not a POSIX ustar header",
                refusal(SegmentedWire.wire(tar, 4096, 4096)));
    }

    @Test
    void entryTypesThatAreNotFileDirSymlinkOrHardLinkAreRefused() {
        byte[] tar = new TarBlocks()
                .entry("a.txt", '0', new byte[3])
                .entry("b", '3', new byte[0])
                .end();
        assertEquals(
                "the tar entry at tar offset 1024 has type '3', which this server does not index (file, "
                        + "directory, symlink and hard link only)",
                refusal(SegmentedWire.wire(tar, 4096, 4096)));
    }

    @Test
    void aHardLinkWithoutATargetIsRefused() {
        byte[] tar = new TarBlocks()
                .entry("a.txt", '0', new byte[3])
                .entry("b", '1', new byte[0])
                .end();
        assertEquals("the hardlink b at tar offset 1024 has no target", refusal(SegmentedWire.wire(tar, 4096, 4096)));
    }

    @Test
    void paxRecordThatChangesTheMeaningOfTheDataIsRefused() {
        byte[] tar = new TarBlocks()
                .raw(TarBlocks.pax("27 GNU.sparse.size=1000000\n"))
                .entry("a.txt", '0', new byte[3])
                .end();
        assertEquals(
                "the PAX header at tar offset 0 has the record 'GNU.sparse.size', which this server does not "
                        + "support",
                refusal(SegmentedWire.wire(tar, 4096, 4096)));
    }

    @Test
    void paxPathAndSubSecondMtimeAreHonoured() throws Exception {
        String name = "deep/" + "é".repeat(80) + ".txt";
        String path = "path=" + name + "\n";
        String pathRecord = (path.getBytes(StandardCharsets.UTF_8).length + 4) + " " + path;
        byte[] tar = new TarBlocks()
                .raw(TarBlocks.pax(pathRecord + "30 mtime=1700000000.123456789\n"))
                .entry("short", '0', "abc".getBytes(StandardCharsets.US_ASCII))
                .end();
        String sha = receive(SegmentedWire.wire(tar, 4096, 4096));
        List<IndexEntry> entries = new ArrayList<>();
        try (IndexFile index = IndexFile.open(indexFile(), sha)) {
            index.read(new IndexFile.Visitor() {
                @Override
                public boolean entry(IndexEntry e) {
                    return entries.add(e);
                }
            });
        }
        IndexEntry e = entries.get(0);
        assertEquals(name, e.path());
        assertEquals(1_700_000_000L, e.mtimeSeconds());
        assertEquals(123_456_789, e.mtimeNanos());
        assertEquals(0, e.headerOffset(), "the entry starts at its PAX header");
        assertEquals(1536, e.dataOffset(), "after the PAX header, its one block of records and the ustar header");
    }

    @Test
    void headerOtherThanTheExpectedOneIsRefused() throws IOException {
        List<Message> wire = SegmentedWire.wire(sampleTar(), 100_000, 64 * 1024);
        byte[] header = GzipLayout.header();
        header[3] = 8; // FNAME: a file name would follow
        wire.set(0, new Data(header));
        assertEquals("the archive does not start with the expected 10-byte gzip header", refusal(wire));
    }

    @Test
    void unsegmentedStreamOfAnOlderAgentIsRefusedSayingSo() throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(plain)) {
            gz.write(sampleTar());
        }
        String message = refusal(List.of(new Data(plain.toByteArray())));
        assertTrue(message.startsWith("the agent sent a gzip stream without Segment messages"), message);
    }

    @Test
    void tailWithAWrongCrcOrLengthIsRefused() throws IOException {
        List<Message> wire = SegmentedWire.wire(sampleTar(), 100_000, 64 * 1024);
        int last = wire.size() - 1;
        byte[] tail = ((Data) wire.get(last)).bytes();
        for (int at : new int[] {2, 6}) {
            byte[] bad = tail.clone();
            bad[at] ^= 1;
            wire.set(last, new Data(bad));
            assertTrue(refusal(wire).startsWith("the gzip tail does not match the segments"), refusal(wire));
        }
    }

    @Test
    void dataOutsideASegmentIsRefused() throws IOException {
        List<Message> wire = new ArrayList<>(SegmentedWire.wire(sampleTar(), 100_000, 64 * 1024));
        int second = 1
                + wire.subList(1, wire.size()).stream()
                        .skip(1)
                        .toList()
                        .indexOf(wire.stream()
                                .skip(2)
                                .filter(m -> m instanceof Segment)
                                .findFirst()
                                .orElseThrow())
                + 1;
        wire.add(second, new Data(new byte[] {1, 2, 3}));
        assertEquals(
                "Data outside a segment: 3 bytes after segment 0 where a Segment or the 10-byte gzip tail "
                        + "was expected",
                refusal(wire));
    }

    @Test
    void archiveEndingInsideASegmentIsRefused() throws IOException {
        List<Message> wire = SegmentedWire.wire(sampleTar(), 100_000, 100);
        assertTrue(refusal(wire.subList(0, 3)).startsWith("the archive ended inside segment 0"));
    }

    @Test
    void segmentDeclaredBeyondTheLimitsIsRefusedBeforeAnyInflating() throws IOException {
        List<Message> wire = SegmentedWire.wire(sampleTar(), 100_000, 64 * 1024);
        wire.set(1, new Segment(Segment.MAX_TAR_LENGTH + 1, 10, 0));
        assertTrue(refusal(wire).startsWith("segment 0 is declared with impossible lengths"));
    }

    private static byte[] inflate(byte[] raw) throws Exception {
        java.util.zip.Inflater i = new java.util.zip.Inflater(true);
        i.setInput(raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int n;
        while ((n = i.inflate(buf)) > 0) {
            out.write(buf, 0, n);
        }
        i.end();
        return out.toByteArray();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
