package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.clusterbackup.core.protocol.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segmented single-member format, read back by the real tools and checked byte by byte. */
class SegmentedArchiveTest {
    private static final int MIB = 1024 * 1024;
    private static final String[] WORDS = {
        "backup", "segment", "archive", "deflate", "tar", "node", "cluster", "server", "agent", "gzip", "index", "file",
        "the", "of", "and", "a", "to", "in", "is", "for"
    };

    @TempDir
    Path tmp;

    @Test
    void aBigTreeIsOneGzipMemberThatGnuToolsReadBack() throws Exception {
        Path root = bigTree(tmp.resolve("tree"), 1500, 7);
        Files.write(root.resolve("d05/huge.bin"), randomBytes(5 * MIB + 12_345, 3)); // long and incompressible
        RecordingSink sink = write(root, 2);
        Path archive = save(sink, "tree.tgz");

        GnuTar.gzipTest(archive);
        Path restored = Files.createDirectory(tmp.resolve("restored"));
        GnuTar.extract(archive, restored);
        assertEquals(Trees.describe(root), Trees.describe(restored));
        byte[] tar = checkOneMember(sink.bytes.toByteArray());
        assertEquals(sink.tarLength(), tar.length);
        assertEquals(0, tar.length % TarGzStream.RECORD_SIZE, "padded to whole 10 KiB records");
        assertTrue(sink.segments.size() > 25, "segments: " + sink.segments.size());
        checkSegmentsAlone(sink, tar);
        checkCutsAtEntryBoundaries(sink, tar);
    }

    @Test
    void theSameTreeGivesTheSameBytesWhateverTheThreadCount() throws Exception {
        Path root = bigTree(tmp.resolve("tree"), 800, 11);
        Files.write(root.resolve("d03/big.bin"), randomBytes(3 * MIB + 1, 5));

        String one = sha256(write(root, 1).bytes.toByteArray());
        String two = sha256(write(root, 2).bytes.toByteArray());
        String four = sha256(write(root, 4).bytes.toByteArray());
        String fourAgain = sha256(write(root, 4).bytes.toByteArray());

        assertEquals(one, two);
        assertEquals(one, four);
        assertEquals(one, fourAgain);
    }

    @Test
    void addingOneFileInTheMiddleChangesOnlyAFewSegments() throws Exception {
        Path root = bigTree(tmp.resolve("tree"), 3000, 13);
        RecordingSink before = write(root, 2);
        Trees.write(root, "d15/added-in-the-middle.txt", text(new Random(99), 7_000));
        RecordingSink after = write(root, 2);

        List<String> added = new ArrayList<>(after.keys());
        removeEach(added, before.keys());
        List<String> removed = new ArrayList<>(before.keys());
        removeEach(removed, after.keys());

        assertTrue(before.segments.size() > 40, "segments: " + before.segments.size());
        assertTrue(
                added.size() <= 3 && removed.size() <= 3,
                "of " + before.segments.size() + " segments, " + removed.size() + " went and " + added.size()
                        + " came");
    }

    @Test
    void anIncompressibleBigFileKeepsEverySegmentWithinTheLimits() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Files.write(root.resolve("random.bin"), randomBytes(9 * MIB + 777, 1));
        Trees.write(root, "z.txt", "after\n");
        RecordingSink sink = write(root, 2);
        Path archive = save(sink, "random.tgz");

        for (CompressedSegment s : sink.segments) {
            assertTrue(s.tarLength() >= 1 && s.tarLength() <= Segment.MAX_TAR_LENGTH, "tar " + s.tarLength());
            assertTrue(s.gzLength() >= 1 && s.gzLength() <= Segment.MAX_GZ_LENGTH, "gz " + s.gzLength());
        }
        // ./ and the header; eight pieces of 1 MiB; the last piece, 1 MiB + 777 bytes (+ padding); then z.txt and the
        // end
        assertEquals(11, sink.segments.size(), sink.keys().toString());
        assertEquals(MIB, sink.segments.get(1).tarLength());
        assertEquals(MIB + 1024, sink.segments.get(9).tarLength());
        GnuTar.gzipTest(archive);
        Path restored = Files.createDirectory(tmp.resolve("restored"));
        GnuTar.extract(archive, restored);
        assertEquals(Trees.describe(root), Trees.describe(restored));
    }

    @Test
    void anEmptyTreeIsAValidArchiveOfOneSegment() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("empty"));
        RecordingSink sink = write(root, 2);
        Path archive = save(sink, "empty.tgz");

        GnuTar.gzipTest(archive);
        assertEquals(List.of("./"), GnuTar.list(archive));
        assertEquals(1, sink.segments.size());
        assertEquals(TarGzStream.RECORD_SIZE, sink.segments.get(0).tarLength());
        checkOneMember(sink.bytes.toByteArray());
    }

    @Test
    void aCutInsideBytesAlreadyReceivedSplitsTheOpenSegment() throws Exception {
        // Only a header of megabytes makes the rule cut behind the stream (Commons Compress takes minutes to
        // write one, so the writer is fed such a "header" directly).
        SegmentRule rule = new SegmentRule();
        RecordingSink sink = new RecordingSink();
        byte[] header = randomBytes(9 * MIB + 512, 17);
        try (SegmentWriter writer =
                new SegmentWriter(rule, sink, 6, Runnable::run, 2, new InFlightBudget(InFlightBudget.DEFAULT_BYTES))) {
            writer.write(header, 0, header.length);
            rule.entry("x", header.length, 0);
            writer.takeCuts();
            rule.end(0);
            writer.takeCuts();
            writer.finish();
        }

        assertEquals(
                List.of((long) Segment.MAX_TAR_LENGTH, (long) Segment.MAX_TAR_LENGTH, MIB + 512L),
                sink.segments.stream().map(CompressedSegment::tarLength).toList());
        assertArrayEquals(header, checkOneMember(sink.bytes.toByteArray()));
        checkSegmentsAlone(sink, header);
    }

    @Test
    void theHeaderIsTheDocumentedConstant() throws Exception {
        RecordingSink sink = write(Trees.sample(tmp), 1);

        assertArrayEquals(HexFormat.of().parseHex("1f8b08000000000000ff"), sink.header);
        assertTrue(SegmentedGzip.isHeader(sink.header, 0, sink.header.length));
        assertEquals("0300", HexFormat.of().formatHex(sink.tail, 0, 2));
    }

    // ---------------------------------------------------------------------------------------------------

    private RecordingSink write(Path root, int threads) throws IOException {
        try (TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults().withThreads(threads))) {
            TreeScan scan = archiver.scan(root, StatCache.empty());
            RecordingSink sink = new RecordingSink();
            archiver.write(scan, StatCache.empty(), sink, 6);
            return sink;
        }
    }

    private Path save(RecordingSink sink, String name) throws IOException {
        return Files.write(tmp.resolve(name), sink.bytes.toByteArray());
    }

    /**
     * Checks the archive is exactly one gzip member: the fixed header, one deflate stream that ends (its final
     * block) exactly 8 bytes before the end of the file, and a trailer with the CRC and length of what it
     * inflated to. Returns the tar.
     */
    private static byte[] checkOneMember(byte[] gz) throws Exception {
        assertTrue(SegmentedGzip.isHeader(gz, 0, 10));
        Inflater inflater = new Inflater(true);
        inflater.setInput(gz, 10, gz.length - 10);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        while (!inflater.finished()) {
            int n = inflater.inflate(buf);
            assertTrue(n > 0 || !inflater.needsInput(), "the deflate stream ends before its final block");
            tar.write(buf, 0, n);
        }
        assertEquals(8, inflater.getRemaining(), "bytes after the deflate stream: only CRC-32 and ISIZE");
        inflater.end();
        byte[] bytes = tar.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(bytes);
        int at = gz.length - 8;
        assertEquals(crc.getValue(), le32(gz, at));
        assertEquals(bytes.length & 0xFFFFFFFFL, le32(gz, at + 4));
        try (GZIPInputStream jdk = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertArrayEquals(bytes, jdk.readAllBytes(), "the JDK's reader agrees");
        }
        return bytes;
    }

    /** Each segment inflates alone, with a fresh inflater, to its own tar bytes with its own CRC. */
    private static void checkSegmentsAlone(RecordingSink sink, byte[] tar) throws DataFormatException {
        long tarAt = 0;
        for (CompressedSegment s : sink.segments) {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            for (byte[] chunk : s.chunks()) {
                gz.writeBytes(chunk);
            }
            assertEquals(s.gzLength(), gz.size());
            byte[] compressed = gz.toByteArray();
            assertEquals(
                    "0000ffff",
                    HexFormat.of().formatHex(compressed, compressed.length - 4, compressed.length),
                    "ends with a sync flush");
            Inflater inflater = new Inflater(true);
            inflater.setInput(compressed);
            byte[] out = new byte[(int) s.tarLength() + 1];
            int n = 0;
            while (!inflater.needsInput() && n < out.length) {
                n += inflater.inflate(out, n, out.length - n);
            }
            assertTrue(!inflater.finished(), "no segment holds the final block");
            inflater.end();
            assertEquals(s.tarLength(), n);
            CRC32 crc = new CRC32();
            crc.update(out, 0, n);
            assertEquals(s.crc32(), crc.getValue());
            assertArrayEquals(
                    java.util.Arrays.copyOfRange(tar, (int) tarAt, (int) tarAt + n), java.util.Arrays.copyOf(out, n));
            tarAt += n;
        }
    }

    /**
     * Every cut is where an entry starts (its PAX header, if it has one), where a long file's data starts, or
     * a whole number of pieces into a long file's data; the last is the end. Entries are found by reading the
     * tar's headers here, independently of the writer.
     */
    private static void checkCutsAtEntryBoundaries(RecordingSink sink, byte[] tar) {
        TreeSet<Long> allowed = new TreeSet<>();
        int at = 0;
        boolean inPax = false;
        while (at + 512 <= tar.length && tar[at] != 0) {
            if (!inPax) {
                allowed.add((long) at);
            }
            char type = (char) tar[at + 156];
            long size = Long.parseLong(
                    new String(tar, at + 124, 12, StandardCharsets.US_ASCII)
                            .replace("\0", "")
                            .trim(),
                    8);
            long dataStart = at + 512;
            if (type == '0' && size >= SegmentRule.LONG_FILE) {
                for (long d = 0; d + SegmentRule.PIECE <= size; d += SegmentRule.PIECE) {
                    allowed.add(dataStart + d);
                }
            }
            inPax = type == 'x';
            at = (int) (dataStart + SegmentRule.padded(size));
        }
        allowed.add((long) at); // the end of the entries
        allowed.add((long) tar.length);
        long offset = 0;
        for (CompressedSegment s : sink.segments) {
            offset += s.tarLength();
            assertTrue(allowed.contains(offset), "a cut at " + offset + " is no entry boundary");
        }
        assertEquals(tar.length, offset);
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static void removeEach(List<String> from, List<String> these) {
        for (String s : these) {
            from.remove(s);
        }
    }

    /**
     * {@code files} files in 30 directories, about 16 KiB each on average: mostly small text, some of up to
     * 150 KiB, a few long ones (1 to 2 MiB).
     */
    static Path bigTree(Path root, int files, long seed) throws IOException {
        Random random = new Random(seed);
        Files.createDirectories(root);
        for (int i = 0; i < files; i++) {
            String name = String.format("d%02d/f%05d.txt", i % 30, i);
            int kind = random.nextInt(1000);
            int size = kind < 920
                    ? random.nextInt(12_000)
                    : kind < 997 ? 20_000 + random.nextInt(130_000) : MIB + random.nextInt(MIB);
            Trees.write(root, name, text(random, size));
        }
        return root;
    }

    static String text(Random random, int size) {
        StringBuilder sb = new StringBuilder(size + 16);
        while (sb.length() < size) {
            sb.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(10) == 0 ? '\n' : ' ');
            if (random.nextInt(50) == 0) {
                sb.append(random.nextLong());
            }
        }
        sb.setLength(size);
        return sb.toString();
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
