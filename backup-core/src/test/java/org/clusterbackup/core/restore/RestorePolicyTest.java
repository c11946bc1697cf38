package org.clusterbackup.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.RefusedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestorePolicyTest {
    @TempDir
    Path tmp;

    private Path root;
    private RestorePolicy policy;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("restores")).toRealPath();
        policy = RestorePolicy.of(List.of(root));
    }

    @Test
    void absentTargetInsideARootIsAccepted() {
        assertEquals(root.resolve("app"), policy.checkTarget(root + "/app"));
    }

    @Test
    void emptyExistingDirectoryIsAccepted() throws IOException {
        Path empty = Files.createDirectories(root.resolve("deep/empty"));

        assertEquals(empty, policy.checkTarget(empty.toString()));
    }

    @Test
    void nonEmptyTargetIsRefused() throws IOException {
        Trees.write(root, "app/data.txt", "already here\n");

        assertRefused(
                root + "/app",
                "restore path " + root + "/app already exists and is not empty;"
                        + " restore into an absent or empty directory");
    }

    @Test
    void existingFileOrSymlinkAtTheTargetIsRefused() throws IOException {
        Trees.write(root, "plain", "x");
        Files.createSymbolicLink(root.resolve("link"), Files.createDirectory(root.resolve("empty")));

        assertRefused(root + "/plain", "already exists and is not a directory");
        assertRefused(root + "/link", "already exists and is a symlink");
    }

    @Test
    void targetOutsideEveryRootIsRefused() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));

        assertRefused(
                outside + "/app",
                "restore path " + outside + "/app is not inside the directories this"
                        + " agent may restore into, or its parent directory does not exist: " + root);
    }

    @Test
    void symlinkedParentLeadingOutOfTheRootsIsRefused() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("elsewhere")).toRealPath();
        Files.createSymbolicLink(root.resolve("escape"), outside);

        RefusedException e = assertThrows(RefusedException.class, () -> policy.checkTarget(root + "/escape/app"));
        assertFalse(e.getMessage().contains(outside.toString()), "where the link leads is not said: " + e.getMessage());
        assertEquals(
                "restore path " + root + "/escape/app is not inside the directories this agent may restore"
                        + " into, or its parent directory does not exist: " + root,
                e.getMessage());
    }

    @Test
    void symlinkedParentLeadingIntoARootIsAccepted() throws IOException {
        Path inside = Files.createDirectories(root.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("shortcut"), inside);

        assertEquals(inside.resolve("app"), policy.checkTarget(link + "/app"));
    }

    @Test
    void rootItselfIsRefused() {
        assertRefused(root.toString(), "is not inside the directories");
    }

    @Test
    void relativePathAndDotSegmentsAreRefused() {
        assertRefused("restores/app", "restore path 'restores/app' is not absolute");
        assertRefused(root + "/x/../app", "restore path '" + root + "/x/../app' contains a '..' segment");
        assertRefused(root + "/./app", "contains a '.' segment");
    }

    @Test
    void aMissingParentOutsideReadsTheSameAsAnExistingOne() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        RefusedException exists = assertThrows(RefusedException.class, () -> policy.checkTarget(outside + "/x/app"));
        Files.createDirectories(outside.resolve("x"));
        RefusedException missing = assertThrows(RefusedException.class, () -> policy.checkTarget(outside + "/y/app"));

        assertEquals(exists.getMessage().replace("/x/", "/y/"), missing.getMessage());
    }

    @Test
    void missingParentIsRefused() {
        assertRefused(
                root + "/no/such/app",
                "restore path " + root + "/no/such/app is not inside the directories"
                        + " this agent may restore into, or its parent directory does not exist");
    }

    @Test
    void withoutRootsEveryRestoreIsRefused() throws IOException {
        RestorePolicy none = RestorePolicy.of(List.of());

        RefusedException e = assertThrows(RefusedException.class, () -> none.checkTarget(root + "/app"));
        assertEquals(
                "this agent accepts no restores (started without --restore-root); refused " + root + "/app",
                e.getMessage());
        assertEquals(ErrorCode.REFUSED, e.code());
    }

    @Test
    void rootThatIsNotADirectoryFailsAtStart() throws IOException {
        Path file = Trees.write(tmp, "file", "x");

        IOException e = assertThrows(IOException.class, () -> RestorePolicy.of(List.of(file)));
        assertEquals("--restore-root " + file + " is not a directory", e.getMessage());
    }

    private void assertRefused(String requested, String messagePart) {
        RefusedException e = assertThrows(RefusedException.class, () -> policy.checkTarget(requested));
        assertEquals(ErrorCode.REFUSED, e.code());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}
