package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.clusterbackup.core.archive.Trees;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedIndexesTest {
    @TempDir
    Path tmp;

    Path idx;
    String sha;

    @BeforeEach
    void setUp() throws Exception {
        Path root = Trees.sample(tmp.resolve("tree"));
        List<org.clusterbackup.core.protocol.Message> wire =
                SegmentedWire.wire(SegmentedWire.tarOf(root), 3_000, 1_000);
        idx = tmp.resolve("a.idx");
        try (ArchiveReceiver r = new ArchiveReceiver(idx)) {
            sha = SegmentedWire.receive(r, wire);
        }
    }

    private static List<String> paths(IndexFile index) throws Exception {
        List<String> paths = new ArrayList<>();
        index.read(new IndexFile.Visitor() {
            @Override
            public boolean entry(IndexEntry e) {
                return paths.add(e.path());
            }
        });
        return paths;
    }

    /** The same bytes with one flipped inside the body (a name), so the checksum no longer matches. */
    private Path damagedCopy() throws Exception {
        byte[] bytes = Files.readAllBytes(idx);
        bytes[bytes.length / 2] ^= 0x20;
        return Files.write(tmp.resolve("damaged.idx"), bytes);
    }

    @Test
    void anIndexIsCheckedOnceAndThenServedFromMemory() throws Exception {
        VerifiedIndexes indexes = new VerifiedIndexes(VerifiedIndexes.DEFAULT_MAX_BYTES);
        List<String> expected;
        try (IndexFile direct = IndexFile.open(idx, sha)) {
            expected = paths(direct);
        }

        IndexFile first = indexes.open(idx, sha);
        first.close();
        IndexFile second = indexes.open(idx, sha);

        assertSame(first, second);
        assertEquals(1, indexes.loads());
        assertEquals(expected, paths(second), "a closed held index still reads: closing releases nothing");
    }

    @Test
    void anIndexReplacedOnDiskIsCheckedAgainAndRefusedWhenDamaged() throws Exception {
        VerifiedIndexes indexes = new VerifiedIndexes(VerifiedIndexes.DEFAULT_MAX_BYTES);
        indexes.open(idx, sha);
        Path damaged = damagedCopy();
        // Same size, same modification time: only the file itself (its inode) is another.
        Files.setLastModifiedTime(damaged, Files.getLastModifiedTime(idx));
        Files.move(damaged, idx, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        UnusableIndexException e = assertThrows(UnusableIndexException.class, () -> indexes.open(idx, sha));

        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void anIndexRewrittenInPlaceIsCheckedAgainAndRefusedWhenDamaged() throws Exception {
        VerifiedIndexes indexes = new VerifiedIndexes(VerifiedIndexes.DEFAULT_MAX_BYTES);
        indexes.open(idx, sha);
        FileTime before = Files.getLastModifiedTime(idx);
        Files.write(idx, Files.readAllBytes(damagedCopy())); // same inode, same size
        Files.setLastModifiedTime(idx, FileTime.fromMillis(before.toMillis() + 1_000));

        assertThrows(UnusableIndexException.class, () -> indexes.open(idx, sha));
    }

    @Test
    void anIndexPutBackAfterADamagedOneIsHeldAgain() throws Exception {
        VerifiedIndexes indexes = new VerifiedIndexes(VerifiedIndexes.DEFAULT_MAX_BYTES);
        Path good = Files.copy(idx, tmp.resolve("good.idx"));
        indexes.open(idx, sha);
        Files.move(damagedCopy(), idx, StandardCopyOption.REPLACE_EXISTING);
        assertThrows(UnusableIndexException.class, () -> indexes.open(idx, sha));

        Files.move(good, idx, StandardCopyOption.REPLACE_EXISTING);

        assertNotNull(indexes.open(idx, sha));
        assertSame(indexes.open(idx, sha), indexes.open(idx, sha));
        assertEquals(2, indexes.loads(), "read at first, refused once, read again when put back, then held");
    }

    @Test
    void aHeldIndexIsNotTheOneRecordedWhenTheCatalogSaysOtherwise() throws Exception {
        VerifiedIndexes indexes = new VerifiedIndexes(VerifiedIndexes.DEFAULT_MAX_BYTES);
        indexes.open(idx, sha);

        UnusableIndexException e = assertThrows(UnusableIndexException.class, () -> indexes.open(idx, "0".repeat(64)));

        assertTrue(e.getMessage().contains("not the one recorded"), e.getMessage());
    }

    @Test
    void anIndexLargerThanTheBoundIsCheckedFromItsFileEveryTime() throws Exception {
        // Its bytes fit the bound, but not with the name table a lookup builds over them.
        VerifiedIndexes indexes = new VerifiedIndexes(2 * Files.size(idx) - 1);
        List<String> expected;
        try (IndexFile direct = IndexFile.open(idx, sha)) {
            expected = paths(direct);
        }
        try (IndexFile a = indexes.open(idx, sha);
                IndexFile b = indexes.open(idx, sha)) {
            assertEquals(expected, paths(a));
            assertEquals(expected, paths(b));
        }
        assertEquals(0, indexes.loads());

        Files.move(damagedCopy(), idx, StandardCopyOption.REPLACE_EXISTING);
        assertThrows(UnusableIndexException.class, () -> indexes.open(idx, sha));
    }

    @Test
    void theLeastRecentlyUsedIndexLeavesFirstWhenTheBoundIsReached() throws Exception {
        Path other = Files.copy(idx, tmp.resolve("b.idx"));
        VerifiedIndexes indexes = new VerifiedIndexes(3 * Files.size(idx)); // one index counts as twice its bytes
        indexes.open(idx, sha);
        indexes.open(other, sha); // both cannot be held: the first leaves
        indexes.open(other, sha);
        assertEquals(2, indexes.loads());

        indexes.open(idx, sha);

        assertEquals(3, indexes.loads());
    }
}
