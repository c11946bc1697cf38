package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stat cache keeps each file's attribute digest under its ctime: a scan of an unchanged tree opens no
 * regular file, not even to list its attributes, and a change of attributes (which moves the ctime) is seen.
 */
class XattrCacheTest {
    @TempDir
    Path dir;

    private final Listed listed = new Listed();
    private final CountingOpener opener = new CountingOpener();
    private Path root;
    private Path state;
    private TreeArchiver archiver;

    /** The entries whose attributes were listed, as the hook saw them. */
    private static final class Listed implements ArchiveHooks {
        final List<String> names = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void beforeXattrs(String name) {
            names.add(name);
        }

        List<String> files() {
            return names.stream().filter(n -> !n.endsWith("/")).toList();
        }
    }

    @BeforeEach
    void tree() throws IOException {
        FidelityTrees.assumeXattrs(dir);
        root = Trees.sample(Files.createDirectories(dir.resolve("src")));
        state = Files.createDirectories(dir.resolve("state"));
        // An hour ahead: every file is old enough for the stat cache to vouch for it (its racy rule).
        archiver = new TreeArchiver(
                ArchiveOptions.defaults().withOpener(opener).withHooks(listed).withClock(ManualClock.hourAhead()));
    }

    @Test
    void aScanOfAnUnchangedTreeOpensNoRegularFile() throws IOException {
        TreeScan first = archiver.scan(root, StatCache.load(state, root));
        assertTrue(listed.files().contains("top.txt"), "a cold scan lists every file's attributes");
        listed.names.clear();
        opener.reset();

        TreeScan again = archiver.scan(root, StatCache.load(state, root));

        assertEquals(List.of(), listed.files(), "no regular file opened to list its attributes");
        assertEquals(0, opener.opens(), () -> "opened " + opener.opened());
        assertEquals(first.digest(), again.digest());
    }

    @Test
    void settingOrRemovingAnAttributeIsSeenByTheNextScan() throws IOException {
        TreeScan first = archiver.scan(root, StatCache.load(state, root));
        FidelityTrees.setXattr(root.resolve("top.txt"), "user.origin", "build 42");
        listed.names.clear();

        TreeScan tagged = archiver.scan(root, StatCache.load(state, root));

        assertEquals(List.of("top.txt"), listed.files());
        assertNotEquals(first.digest(), tagged.digest());
        assertEquals(
                Xattrs.digest(java.util.Map.of("user.origin", "build 42")),
                entry(tagged, "top.txt").xattrs());

        Files.getFileAttributeView(
                        root.resolve("top.txt"), UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .delete("origin");
        listed.names.clear();
        TreeScan untagged = archiver.scan(root, StatCache.load(state, root));

        assertEquals(List.of("top.txt"), listed.files());
        assertEquals(first.digest(), untagged.digest());
        // A file with attributes keeps their digest too: the next scan lists nothing again.
        FidelityTrees.setXattr(root.resolve("top.txt"), "user.origin", "build 43");
        archiver.scan(root, StatCache.load(state, root));
        listed.names.clear();
        TreeScan steady = archiver.scan(root, StatCache.load(state, root));
        assertEquals(List.of(), listed.files());
        assertEquals(
                Xattrs.digest(java.util.Map.of("user.origin", "build 43")),
                entry(steady, "top.txt").xattrs());
    }

    @Test
    void aWriteListsOnlyTheAttributesTheScanFoundAndArchivesTheSameBytes() throws IOException {
        FidelityTrees.setXattr(root.resolve("a/sibling.txt"), "user.origin", "build 42");
        StatCache cache = StatCache.load(state, root);
        TreeScan scan = archiver.scan(root, cache);
        listed.names.clear();
        ByteArrayOutputStream cached = new ByteArrayOutputStream();
        archiver.write(scan, cache, cached);

        assertEquals(List.of("a/sibling.txt"), listed.files(), "files without attributes are not listed again");
        ByteArrayOutputStream listedAll = new ByteArrayOutputStream();
        archiver.write(scan, StatCache.empty(), listedAll);
        assertArrayEquals(listedAll.toByteArray(), cached.toByteArray());
    }

    private static ManifestEntry entry(TreeScan scan, String name) {
        return scan.entries().stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
