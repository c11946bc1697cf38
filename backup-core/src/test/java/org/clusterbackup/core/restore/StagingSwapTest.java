package org.clusterbackup.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Someone swaps the staging directory of a running restore for a symlink to a directory they cannot write,
 * hoping the agent writes there for them. A hook makes the swap after the first entry.
 */
class StagingSwapTest {
    @TempDir
    Path tmp;

    private Path target;
    private Path forbidden;

    @BeforeEach
    void dirs() throws IOException {
        target = Files.createDirectories(tmp.resolve("restores")).resolve("app");
        forbidden = Files.createDirectories(tmp.resolve("etc"));
    }

    @Test
    void aStagingDirectorySwappedForASymlinkIsNeverWrittenThrough() throws IOException {
        byte[] tgz = Tgz.archive()
                .dir("./", 0755)
                .file("first.txt", "one\n")
                .dir("sub/", 0755)
                .file("sub/evil.conf", "written where it must not be\n")
                .file("zz.txt", "last\n")
                .bytes();
        ExtractHooks swapAfterFirst = new ExtractHooks() {
            @Override
            public void afterEntry(String name, Path written) throws IOException {
                if (name.equals("first.txt")) {
                    Path staging = written.getParent();
                    Files.move(staging, tmp.resolve("moved-away"));
                    Files.createSymbolicLink(staging, forbidden);
                }
            }
        };

        IOException e = assertThrows(
                IOException.class,
                () -> new SafeExtractor(swapAfterFirst).extract(new ByteArrayInputStream(tgz), target));

        assertEquals(List.of(), list(forbidden), "nothing was created through the symlink");
        assertFalse(
                Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS),
                "the swapped-in symlink was not moved into place");
        String left = SafeExtractor.leftBehind(e);
        assertNotNull(left, "the failure must not claim nothing was left: " + e.getMessage());
        assertTrue(left.contains("moved or replaced by someone else"), left);
        assertEquals(List.of(), list(tmp.resolve("moved-away")), "its content was removed through the open directory");
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
