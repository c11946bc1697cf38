package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class TarEntryHeaderTest {
    private static TarArchiveEntry read(TarEntryHeader h) throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        tar.writeBytes(h.encode());
        tar.writeBytes(new byte[(int) SegmentRule.padded(h.size())]);
        tar.writeBytes(new byte[1024]);
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar.toByteArray()))) {
            return in.getNextEntry();
        }
    }

    @Test
    void aPlainEntryIsOneUstarBlockThatCommonsCompressReadsBack() throws Exception {
        TarEntryHeader h = new TarEntryHeader("dir/file.txt", '0', 0640, 5, 1_700_000_000L, 0, 1000, 100, "", Map.of());

        byte[] bytes = h.encode();
        TarArchiveEntry e = read(h);

        assertEquals(512, bytes.length);
        assertEquals("ustar\0", new String(bytes, 257, 6, StandardCharsets.US_ASCII));
        assertEquals("0000640\0", new String(bytes, 100, 8, StandardCharsets.US_ASCII));
        assertEquals("dir/file.txt", e.getName());
        assertEquals(0640, e.getMode() & 07777);
        assertEquals(1000, e.getLongUserId());
        assertEquals(
                Instant.ofEpochSecond(1_700_000_000L), e.getLastModifiedTime().toInstant());
    }

    @Test
    void subSecondTimesKeepAllNineDigitsAndNegativeTimesTheirSign() throws Exception {
        assertEquals(
                Instant.ofEpochSecond(1_700_000_000L, 123_456_789),
                read(new TarEntryHeader("a", '0', 0644, 0, 1_700_000_000L, 123_456_789, 0, 0, "", Map.of()))
                        .getLastModifiedTime()
                        .toInstant());
        String records = new String(
                new TarEntryHeader("a", '0', 0644, 0, -2, 500_000_000, 0, 0, "", Map.of()).encode(),
                512,
                512,
                StandardCharsets.UTF_8);
        assertTrue(records.startsWith("14 mtime=-1.5\n"), records);
        String half = new String(
                new TarEntryHeader("a", '0', 0644, 0, 7, 500_000_000, 0, 0, "", Map.of()).encode(),
                512,
                512,
                StandardCharsets.UTF_8);
        assertTrue(half.startsWith("13 mtime=7.5\n"), half);
    }

    @Test
    void paxRecordsAreSortedAndTheirLengthsCountThemselves() {
        Map<String, String> extra = new TreeMap<>();
        extra.put("SCHILY.xattr.user.b", "2");
        extra.put("SCHILY.xattr.user.a", "x".repeat(80)); // a record of 100+ bytes: three length digits
        TarEntryHeader h = new TarEntryHeader("n".repeat(120), '0', 0644, 0, 1, 1, 0, 0, "", extra);

        String records = new String(h.encode(), 512, 512, StandardCharsets.UTF_8).replace("\0", "");

        assertEquals(
                "105 SCHILY.xattr.user.a=" + "x".repeat(80) + "\n"
                        + "25 SCHILY.xattr.user.b=2\n"
                        + "21 mtime=1.000000001\n"
                        + "130 path=" + "n".repeat(120) + "\n",
                records);
    }

    @Test
    void theSameEntryGivesTheSameBytes() {
        Map<String, String> extra = Map.of("SCHILY.xattr.user.z", "1", "SCHILY.xattr.user.a", "2");
        assertArrayEquals(
                new TarEntryHeader("f", '0', 0644, 0, 1, 5, 0, 0, "", extra).encode(),
                new TarEntryHeader("f", '0', 0644, 0, 1, 5, 0, 0, "", new TreeMap<>(extra)).encode());
    }
}
