package org.clusterbackup.core.restore;

import static org.clusterbackup.core.restore.SafeExtractorTest.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.clusterbackup.core.archive.GnuTar;
import org.clusterbackup.core.archive.Trees;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives that would write outside the target, or write what a restore never writes, are refused whole:
 * nothing at the target, no staging directory beside it, nothing outside. Each hostile entry follows good
 * ones, so something was already written when it is met.
 */
class UnsafeArchiveTest {
    @TempDir
    Path tmp;

    private Path restores;
    private Path target;
    private Path outside;
    private Path work;
    private final SafeExtractor extractor = new SafeExtractor(ExtractHooks.NONE);

    @BeforeEach
    void setUp() throws IOException {
        restores = Files.createDirectories(tmp.resolve("restores"));
        target = restores.resolve("app");
        outside = Files.createDirectories(tmp.resolve("outside"));
        Trees.write(outside, "marker", "not to be touched\n");
        work = Files.createDirectories(tmp.resolve("work"));
    }

    @Test
    void nameWithADotDotSegmentIsRefused() throws IOException {
        UnsafeArchiveException e =
                assertRefused(good().file("../x", "escaped\n"), "../x", "its name has a '..' segment");

        assertEquals("refused archive entry '../x': its name has a '..' segment", e.getMessage());
    }

    @Test
    void dotDotInsideANameIsRefusedEvenWhenItWouldStayInside() throws IOException {
        assertRefused(
                good().file("a/../../outside/x", "escaped\n"), "a/../../outside/x", "its name has a '..' segment");
        assertRefused(good().file("a/../b", "inside\n"), "a/../b", "its name has a '..' segment");
    }

    @Test
    void absoluteNameIsRefused() throws IOException {
        String name = outside.resolve("x").toString();

        assertRefused(good().file(name, "escaped\n"), name, "its name is an absolute path");
    }

    @Test
    void absoluteNameArchivedByGnuTarIsRefused() throws IOException {
        Path victim = Trees.write(outside, "victim.txt", "original\n");
        Path archive = work.resolve("absolute.tgz");
        GnuTar.create(work, archive, "-P", victim.toString());
        Files.writeString(victim, "changed\n");

        UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class, () -> extract(archive));

        assertEquals(victim.toString(), e.entry());
        assertEquals("changed\n", Files.readString(victim));
        assertEquals(List.of(), names(restores));
    }

    @Test
    void symlinkClimbingOutOfTheTargetIsRefused() throws IOException {
        assertRefused(
                good().symlink("link", "../../outside"),
                "link",
                "symlink to '../../outside', which leads outside the target directory");
        assertRefused(
                good().symlink("a/link", "../../outside"),
                "a/link",
                "symlink to '../../outside', which leads outside the target directory");
    }

    @Test
    void absoluteSymlinkIsRefused() throws IOException {
        assertRefused(good().symlink("link", "/etc"), "link", "symlink to the absolute path '/etc'");
    }

    @Test
    void symlinkWithDotDotAfterANameIsRefused() throws IOException {
        // Each looks inside on its own; together "e" reaches the target's parent through "d".
        assertRefused(
                good().symlink("d", ".").symlink("e", "d/../y"),
                "e",
                "symlink to 'd/../y', which has a '..' after a name and could lead out through another symlink");
    }

    @Test
    void symlinkClimbingOnlyWithinTheTargetIsRestored() throws Exception {
        byte[] tgz = good().symlink("a/b/up", "../../top.txt")
                .symlink("a/b/here", "./../b/.")
                .bytes();

        extractor.extract(new ByteArrayInputStream(tgz), target);

        assertEquals(Path.of("../../top.txt"), Files.readSymbolicLink(target.resolve("a/b/up")));
        assertEquals("top\n", Files.readString(target.resolve("a/b/up")));
    }

    @Test
    void fileWrittenThroughASymlinkLeadingOutIsRefused() throws IOException {
        assertRefused(
                good().symlink("a", outside.toString()).file("a/x", "escaped\n"),
                "a",
                "symlink to the absolute path '" + outside + "'");
    }

    @Test
    void fileWrittenThroughASymlinkInsideTheTargetIsRefused() throws IOException {
        assertRefused(
                good().dir("sub/", 0755).symlink("s", "sub").file("s/x", "through\n"),
                "s/x",
                "its path goes through the symlink 's'");
        assertRefused(
                good().symlink("s", ".").dir("s/deeper/", 0755), "s/deeper/", "its path goes through the symlink 's'");
    }

    @Test
    void pathThroughARegularFileIsRefused() throws IOException {
        assertRefused(
                good().file("f/x", "under a file\n"), "f/x", "its path goes through 'f', which is not a directory");
    }

    @Test
    void secondEntryOfTheSamePathIsRefused() throws IOException {
        assertRefused(good().file("f", "again\n"), "f", "it would replace an earlier entry of the same path");
        assertRefused(
                good().dir("sub/", 0755).symlink("sub", "a"),
                "sub",
                "it would replace an earlier entry of the same path");
        assertRefused(
                good().symlink("l", "f").dir("l/", 0755), "l/", "it would replace an earlier entry of the same path");
    }

    @Test
    void fifoArchivedByGnuTarIsRefused() throws IOException {
        Path tree = Files.createDirectories(work.resolve("tree"));
        Trees.write(tree, "a.txt", "fine\n");
        GnuTar.mkfifo(tree.resolve("pipe"));
        Path archive = work.resolve("fifo.tgz");
        GnuTar.create(tree, archive, ".");

        UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class, () -> extract(archive));

        assertEquals("./pipe", e.entry());
        assertEquals("it is a fifo; devices and fifos are never restored", e.reason());
        assertEquals(List.of(), names(restores));
    }

    @Test
    void devicesAreRefused() throws IOException {
        assertRefused(
                good().special("null", TarConstants.LF_CHR),
                "null",
                "it is a character device; devices and fifos are never restored");
        assertRefused(
                good().special("disk", TarConstants.LF_BLK),
                "disk",
                "it is a block device; devices and fifos are never restored");
    }

    @Test
    void tarTypeARestoreDoesNotKnowIsRefused() throws IOException {
        assertRefused(good().special("odd", (byte) 'Z'), "odd", "its tar type 'Z' is not one a restore writes");
    }

    @Test
    void hardLinkLeadingOutIsRefused() throws IOException {
        assertRefused(
                good().hardLink("h", "../../outside/marker"),
                "h",
                "hard link to '../../outside/marker', which leads outside the target directory");
        assertRefused(
                good().hardLink("h", outside.resolve("marker").toString()),
                "h",
                "hard link to '" + outside.resolve("marker") + "', which leads outside the target directory");
    }

    @Test
    void hardLinkToAnythingButAnEarlierFileIsRefused() throws IOException {
        assertRefused(
                good().symlink("s", "f").hardLink("h", "s"),
                "h",
                "hard link to 's', which is not a regular file restored before it");
        assertRefused(
                good().hardLink("h", "a/"), "h", "hard link to 'a/', which is not a regular file restored before it");
        assertRefused(
                good().hardLink("h", "later").file("later", "too late\n"),
                "h",
                "hard link to 'later', which is not a regular file restored before it");
        assertRefused(
                good().dir("sub/", 0755)
                        .symlink("via", "sub")
                        .file("sub/f", "x\n")
                        .hardLink("h", "via/f"),
                "h",
                "hard link to 'via/f', which is not a regular file restored before it");
    }

    @Test
    void rootEntryThatIsNotADirectoryIsRefused() throws IOException {
        assertRefused(
                Tgz.archive().symlink("./", "/etc"), "./", "it names the target directory itself, but is a symlink");
        assertRefused(Tgz.archive().file(".", "x\n"), ".", "it names the target directory itself, but is a file");
    }

    /** A few harmless entries, written before the hostile one. */
    private static Tgz good() {
        return Tgz.archive()
                .dir("./", 0755)
                .file("top.txt", "top\n")
                .dir("a/", 0755)
                .file("a/b/c.txt", "c\n")
                .file("f", "a file\n");
    }

    private UnsafeArchiveException assertRefused(Tgz archive, String entry, String reason) throws IOException {
        byte[] tgz = archive.bytes();
        UnsafeArchiveException e = assertThrows(
                UnsafeArchiveException.class, () -> extractor.extract(new ByteArrayInputStream(tgz), target));
        assertEquals(entry, e.entry());
        assertEquals(reason, e.reason());
        assertEquals(List.of(), names(restores), "no target and no staging directory are left");
        assertEquals(List.of("outside", "restores", "work"), names(tmp), "nothing beside the restore directory");
        assertEquals(List.of("marker"), names(outside), "nothing outside");
        return e;
    }

    private void extract(Path archive) throws IOException, UnsafeArchiveException {
        try (var in = Files.newInputStream(archive)) {
            extractor.extract(in, target);
        }
    }
}
