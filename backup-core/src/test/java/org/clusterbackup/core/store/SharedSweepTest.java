package org.clusterbackup.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The holder's sweep of a target's directory on a shared data dir. Which servers run is given here as a
 * set; {@code SharedDataDirTest} exercises the real locks behind it with real servers.
 */
class SharedSweepTest {
    @TempDir
    Path data;

    private ArchiveStore store;
    private SharedSweep sweep;
    private final Set<String> running = new HashSet<>();
    private Path dir;

    @BeforeEach
    void store() throws IOException {
        store = new ArchiveStore(data);
        sweep = store.shareAs(new TempOwner("s1"), (owner, work) -> {
            if (running.contains(owner)) {
                return false;
            }
            work.run();
            return true;
        });
        dir = Files.createDirectories(store.archivesDir().resolve("3"));
    }

    private Path file(String name) throws IOException {
        return Files.write(dir.resolve(name), new byte[1]);
    }

    @Test
    void theHolderKeepsWhatTheCatalogNamesAndRemovesOrphansUpToItsOwnArchive() throws IOException {
        Path kept = file("10.tgz");
        Path keptIndex = file("10.idx");
        Path pruned = file("8.tgz");
        Path crashOrphan = file("11.tgz");
        Path stored = file("12.tgz");

        List<String> deleted =
                sweep.target(3, Set.of("archives/3/10.tgz", "archives/3/10.idx", "archives/3/12.tgz"), 12);

        assertTrue(Files.exists(kept) && Files.exists(keptIndex) && Files.exists(stored));
        assertFalse(Files.exists(pruned));
        assertFalse(Files.exists(crashOrphan));
        assertEquals(Set.of("archives/3/8.tgz", "archives/3/11.tgz"), Set.copyOf(deleted));
    }

    /**
     * The holder's claim may lapse just after its run was recorded: a new holder's archive, renamed into
     * place before its row commits, has a larger id and must survive the former holder's sweep.
     */
    @Test
    void anArchiveAboveTheHoldersOwnIsANewHoldersUncommittedOneAndStays() throws IOException {
        Path newHolders = file("13.tgz");
        Path newHoldersIndex = file("13.idx");

        sweep.target(3, Set.of("archives/3/12.tgz"), 12);

        assertTrue(Files.exists(newHolders));
        assertTrue(Files.exists(newHoldersIndex));
    }

    @Test
    void tempFilesGoOnlyWhenTheirOwnerIsNotRunning() throws IOException {
        running.add("s2");
        Path mine = file("execution-5@s1.partial");
        Path runningOwners = file("execution-6.idx@s2.partial");
        Path stoppedOwners = file("execution-7.delta@s3.partial");
        Path stoppedOwnersRebuild = file("execution-7.delta@s3.partial.rebuilt");
        Path stoppedOwnersKept = file("execution-7.delta@s3.partial.segments"); // InflatedSegments' temp file

        sweep.target(3, Set.of(), 1);

        assertTrue(Files.exists(mine), "this server's run in progress");
        assertTrue(Files.exists(runningOwners));
        assertFalse(Files.exists(stoppedOwners));
        assertFalse(Files.exists(stoppedOwnersRebuild));
        assertFalse(Files.exists(stoppedOwnersKept));

        sweep.atStart();
        assertFalse(Files.exists(mine), "at start, before any run, this server's are of an earlier life");
        assertTrue(Files.exists(runningOwners));
    }

    @Test
    void aSharedStoreNamesItsTempFilesByItsOwner() throws IOException {
        try (TempArchive temp = store.createTemp(3, 21)) {
            assertEquals("execution-21@s1.partial", temp.file().getFileName().toString());
            assertEquals(
                    "execution-21.idx@s1.partial",
                    temp.indexFile().getFileName().toString());
        }
        assertEquals(
                "execution-21.delta@s1.partial",
                store.deltaFile(3, 21).getFileName().toString());
        assertEquals("s1", SharedSweep.ownerOf("execution-21.idx@s1.partial"));
        assertEquals("s1", SharedSweep.ownerOf("execution-21.delta@s1.partial.rebuilt"));
        assertEquals("", SharedSweep.ownerOf("execution-21.delta.partial.rebuilt"));
    }

    @Test
    void anOwnersNameCannotLeaveItsDirectoryOrHideItsSeparator() {
        assertEquals("10.0.0.5:7070", new TempOwner("10.0.0.5:7070").fileName());
        assertEquals("..%2Fetc%40x%20y", new TempOwner("../etc@x y").fileName());
        assertEquals("%2E%2E", new TempOwner("..").fileName());
        assertEquals("caf%C3%A9", new TempOwner("café").fileName());
        assertThrows(IllegalArgumentException.class, () -> new TempOwner(""));
    }

    /**
     * Another server may be streaming an archive to an operator when the holder prunes it: on a network file
     * system the file would vanish under that reader, so it stays (its row is gone) until the read ends.
     */
    @Test
    void aPrunedArchiveBeingReadStaysUntilTheReadEndsAndThenGoes() throws IOException {
        Path archive = file("5.tgz");
        Path index = file("5.idx");
        try (FileChannel reading = store.openForReading("archives/3/5.tgz")) {
            store.delete("archives/3/5.tgz");
            assertTrue(Files.exists(archive), "being read");
            assertFalse(Files.exists(index), "nobody reads the index: it goes");

            sweep.target(3, Set.of(), 12);
            assertTrue(Files.exists(archive), "still being read at the next sweep");
            assertEquals(1, reading.read(java.nio.ByteBuffer.allocate(1)));
        }

        sweep.target(3, Set.of(), 12);
        assertFalse(Files.exists(archive), "the read ended: the holder's next sweep deletes it");
    }

    @Test
    void twoReadersOfOneArchiveInOneProcessDoNotExcludeEachOther() throws IOException {
        file("5.tgz");
        try (FileChannel a = store.openForReading("archives/3/5.tgz");
                FileChannel b = store.openForReading("archives/3/5.tgz")) {
            assertEquals(1, a.size());
            assertEquals(1, b.size());
        }
    }
}
