package org.clusterbackup.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * A restore is refused when another non-root user could swap the directory it writes into: the agent (root,
 * as these tests run) must not create files where that user steers it. Other users are made real with chown.
 */
class RestoreWritersTest {
    private static final int SOMEONE = 1234;

    @TempDir
    Path tmp;

    private Path root;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("restores")).toRealPath();
    }

    @Test
    void aParentOwnedByAnotherUserIsRefused() throws IOException {
        Path theirs = Files.createDirectories(root.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", SOMEONE);

        RefusedException e = refused(RestorePolicy.of(List.of(root)), theirs + "/app");

        assertTrue(e.getMessage().contains(theirs + " belongs to user " + SOMEONE), e.getMessage());
    }

    @Test
    void aWorldWritableParentIsRefused() throws IOException {
        Path open = Files.createDirectories(root.resolve("open"));
        Trees.chmod(open, 0777);

        RefusedException e = refused(RestorePolicy.of(List.of(root)), open + "/app");

        assertTrue(e.getMessage().contains(open + " is writable by others"), e.getMessage());
    }

    @Test
    void aWritableDirectoryHigherUpIsRefusedToo() throws IOException {
        Path open = Files.createDirectories(root.resolve("open"));
        Path below = Files.createDirectories(open.resolve("below"));
        Trees.chmod(open, 0770);

        RefusedException e = refused(RestorePolicy.of(List.of(root)), below + "/app");

        assertTrue(e.getMessage().contains(open + " is writable by its group"), e.getMessage());
    }

    @Test
    void aStickyParentIsAcceptedForATargetTheAgentMakes() throws IOException {
        Path shared = Files.createDirectories(root.resolve("shared"));
        Trees.chmod(shared, 01777);

        assertEquals(shared.resolve("app"), RestorePolicy.of(List.of(root)).checkTarget(shared + "/app"));
    }

    @Test
    void aStickyParentIsRefusedForATargetSomeoneElseOwns() throws IOException {
        Path shared = Files.createDirectories(root.resolve("shared"));
        Trees.chmod(shared, 01777);
        Path theirs = Files.createDirectories(shared.resolve("app"));
        Files.setAttribute(theirs, "unix:uid", SOMEONE);

        RefusedException e = refused(RestorePolicy.of(List.of(root)), theirs.toString());

        assertTrue(e.getMessage().contains(theirs + " is not the agent's own"), e.getMessage());
    }

    @Test
    void anAgentRunningAsAUserMayRestoreIntoItsOwnDirectory() throws IOException {
        Path mine = Files.createDirectories(root.resolve("mine"));
        Files.setAttribute(mine, "unix:uid", SOMEONE);

        RestorePolicy asThatUser = RestorePolicy.of(List.of(root), SOMEONE);

        assertEquals(mine.resolve("app"), asThatUser.checkTarget(mine + "/app"));
    }

    private static RefusedException refused(RestorePolicy policy, String requested) {
        RefusedException e = assertThrows(RefusedException.class, () -> policy.checkTarget(requested));
        assertEquals(ErrorCode.REFUSED, e.code());
        return e;
    }
}
