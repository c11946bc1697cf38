package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The records of the package refuse what they cannot represent, with messages that name field and value. */
class RecordValidationTest {
    private static final String HASH = "0".repeat(64);

    @ParameterizedTest
    @ValueSource(
            strings = {"/etc/passwd", "../up", "a/../../up", "a//b", "./a", "a/./b", "a/..", "", ".", "..", "a/.", "/"})
    void namesThatCouldEscapeOrAreNotCanonicalAreRefused(String name) {
        assertThrows(IllegalArgumentException.class, () -> ManifestEntry.file(name, 0644, 0, 0, 0, 0, HASH));
    }

    /** Dots that do not make a whole segment "." or ".." are ordinary names. */
    @ParameterizedTest
    @ValueSource(strings = {"...", ".a", "a.", "..a", "a..", "a/.b/..c/...", "a/b.c", "é/..x"})
    void dotsWithinASegmentAreAccepted(String name) {
        assertEquals(name, ManifestEntry.file(name, 0644, 0, 0, 0, 0, HASH).name());
    }

    @Test
    void aDirectoryNameWithAnEmptyLastSegmentIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ManifestEntry.directory("a//", 0755, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ManifestEntry.directory("a/../", 0755, 0, 0, 0));
    }

    @Test
    void directoryNamesEndWithASlashAndOthersDoNot() {
        assertThrows(IllegalArgumentException.class, () -> ManifestEntry.directory("dir", 0755, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ManifestEntry.file("file/", 0644, 0, 0, 0, 0, HASH));
        assertDoesNotThrow(() -> ManifestEntry.directory("a/dir/", 0755, 0, 0, 0));
    }

    @Test
    void onlyADirectoryCanBeTheRoot() {
        assertDoesNotThrow(() -> ManifestEntry.directory("./", 0755, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ManifestEntry.symlink("./", 0777, 0, 0, 0, "x"));
    }

    @Test
    void fieldsMustFitTheType() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ManifestEntry.file("f", 0644, 0, 0, 0, 0, "ABC"));
        assertEquals("sha256 of FILE f must be 64 lowercase hex digits, was 'ABC'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ManifestEntry.symlink("l", 0777, 0, 0, 0, ""));
        assertThrows(IllegalArgumentException.class, () -> ManifestEntry.file("f", 0100644, 0, 0, 0, 0, HASH));
        assertThrows(IllegalArgumentException.class, () -> ManifestEntry.file("f", 0644, -1, 0, 0, 0, HASH));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ManifestEntry("d/", EntryType.DIRECTORY, 0755, 5, 0, 0, 0, "", ""));
    }

    @Test
    void optionsStateTheLimitAndTheValue() {
        IllegalArgumentException level = assertThrows(
                IllegalArgumentException.class, () -> ArchiveOptions.defaults().withGzipLevel(12));
        assertEquals("gzipLevel must be between 0 and 9, was 12", level.getMessage());
        IllegalArgumentException retries = assertThrows(
                IllegalArgumentException.class, () -> ArchiveOptions.defaults().withHotFileRetries(-1));
        assertEquals("hotFileRetries must be between 0 and 20, was -1", retries.getMessage());
        IllegalArgumentException threads = assertThrows(
                IllegalArgumentException.class, () -> ArchiveOptions.defaults().withThreads(0));
        assertEquals("threads must be between 1 and 64, was 0", threads.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> ArchiveOptions.defaults().withThreads(65));
        assertEquals(ArchiveOptions.defaultThreads(), ArchiveOptions.defaults().threads());
        assertThrows(NullPointerException.class, () -> ArchiveOptions.defaults().withClock((Clock) null));
    }

    @Test
    void scanMustStartWithTheRoot() {
        ManifestEntry file = ManifestEntry.file("f", 0644, 0, 0, 0, 0, HASH);

        assertThrows(
                IllegalArgumentException.class, () -> new TreeScan(Path.of("/x"), List.of(file), HASH, 1, List.of()));
    }
}
