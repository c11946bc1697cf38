package org.clusterbackup.core.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clusterbackup.core.archive.DeliveredManifests;
import org.clusterbackup.core.archive.ManifestEntry;
import org.clusterbackup.core.archive.TreeDigest;
import org.clusterbackup.core.archive.TreeScan;
import org.junit.jupiter.api.Test;

class DeltaWorthTest {
    private static final long MIB = 1L << 20;
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @Test
    void aBigFileAddedToAnEmptyTreeGoesWhole() {
        assertFalse(DeltaWorth.worthIt(scan(file("big.bin", 2048 * MIB, A)), manifest(), true));
    }

    @Test
    void aSmallTreeThatIsAllNewStillGoesAsADelta() {
        assertTrue(DeltaWorth.worthIt(scan(file("new.txt", 10 * MIB, A)), manifest(), true));
    }

    @Test
    void aBigChangeToPartOfABigTreeGoesAsADelta() {
        TreeScan now = scan(file("kept.bin", 100 * MIB, A), file("changed.bin", 200 * MIB, B));
        // Sent whole, the changed file is two thirds of the tree: under the share, so a delta either way.
        assertTrue(DeltaWorth.worthIt(
                now, manifest(file("kept.bin", 100 * MIB, A), file("changed.bin", 200 * MIB, A)), false));
    }

    @Test
    void aTreeWhoseFilesAllChangedContentGoesWholeUnlessAsBlockDeltas() {
        TreeScan now = scan(file("one.bin", 100 * MIB, B), file("two.bin", 100 * MIB, B));
        DeliveredManifests.Manifest base = manifest(file("one.bin", 100 * MIB, A), file("two.bin", 100 * MIB, A));
        assertFalse(DeltaWorth.worthIt(now, base, false));
        // As block deltas each goes as copies of its previous version plus what changed: a few pages of a big
        // file cost a few pages.
        assertTrue(DeltaWorth.worthIt(now, base, true));
    }

    @Test
    void aBigFileRenamedIsNewEvenAsBlockDeltas() {
        TreeScan now = scan(file("renamed.bin", 2048 * MIB, A));
        assertFalse(DeltaWorth.worthIt(now, manifest(file("old-name.bin", 2048 * MIB, A)), true));
    }

    @Test
    void theShareCountsFileBytesAtTheBoundary() {
        // 90 MiB new of 100 MiB: exactly the share from which a big delta goes whole.
        TreeScan at = scan(file("old.bin", 10 * MIB, A), file("new.bin", 90 * MIB, A));
        assertFalse(DeltaWorth.worthIt(at, manifest(file("old.bin", 10 * MIB, A)), true));
        TreeScan under = scan(file("old.bin", 11 * MIB, A), file("new.bin", 89 * MIB, A));
        assertTrue(DeltaWorth.worthIt(under, manifest(file("old.bin", 11 * MIB, A)), true));
    }

    private static ManifestEntry file(String name, long size, String sha256) {
        return ManifestEntry.file(name, 0644, size, 1_700_000_000L, 0, 0, sha256);
    }

    private static List<ManifestEntry> tree(ManifestEntry... files) {
        List<ManifestEntry> entries = new ArrayList<>();
        entries.add(ManifestEntry.directory(ManifestEntry.ROOT_NAME, 0755, 1_700_000_000L, 0, 0));
        entries.addAll(List.of(files));
        return entries;
    }

    private static TreeScan scan(ManifestEntry... files) {
        List<ManifestEntry> entries = tree(files);
        return new TreeScan(Path.of("/tree"), entries, TreeDigest.of(entries), files.length, List.of());
    }

    private static DeliveredManifests.Manifest manifest(ManifestEntry... files) {
        List<ManifestEntry> entries = tree(files);
        return new DeliveredManifests.Manifest(TreeDigest.of(entries), entries);
    }
}
