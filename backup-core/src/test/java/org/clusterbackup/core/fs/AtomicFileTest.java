package org.clusterbackup.core.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void aCommitForcesTheBytesBeforeTheRenameAndTheDirectoryAfterIt() throws IOException {
        Path file = dir.resolve("state.bin");
        List<Boolean> inPlaceAtEachSync = new ArrayList<>();

        try (AtomicFile f = AtomicFile.beside(file, ".tmp", channel -> {
            inPlaceAtEachSync.add(Files.exists(file));
            channel.force(true);
        })) {
            f.channel().write(ByteBuffer.wrap("new".getBytes(StandardCharsets.US_ASCII)));
            f.commit();
        }

        assertEquals(
                List.of(false, true),
                inPlaceAtEachSync,
                "the file's bytes before its rename, then its directory, which makes the rename durable");
        assertEquals("new", Files.readString(file));
        assertEquals(List.of(file), entries());
    }

    @Test
    void aReplacementThatFailsLeavesTheOldFileAndNoTempFile() throws IOException {
        Path file = dir.resolve("known_servers");
        Files.writeString(file, "old");

        IOException e = assertThrows(
                IOException.class,
                () -> AtomicFile.replace(file, out -> {
                    out.write("half".getBytes(StandardCharsets.US_ASCII));
                    throw new IOException("disk full");
                }));

        assertEquals("disk full", e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(List.of(file), entries());
    }

    @Test
    void aFileWhoseBytesCannotBeForcedIsNotRenamedIntoPlace() throws IOException {
        Path file = dir.resolve("archive.tgz");
        Files.writeString(file, "old");

        try (AtomicFile f = AtomicFile.beside(file, ".partial", channel -> {
            throw new IOException("I/O error");
        })) {
            f.channel().write(ByteBuffer.wrap("new".getBytes(StandardCharsets.US_ASCII)));
            assertThrows(IOException.class, f::commit);
        }

        assertEquals("old", Files.readString(file));
        assertEquals(List.of(file), entries());
    }

    @Test
    void anOwnerOnlyFileIsNeverReadableByOthers() throws IOException {
        Path file = dir.resolve("admin.token");

        AtomicFile.replaceOwnerOnly(file, out -> out.write("secret\n".getBytes(StandardCharsets.US_ASCII)));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("secret\n", Files.readString(file));
    }

    @Test
    void aReplacementCreatesTheDirectoryItGoesIn() throws IOException {
        Path file = dir.resolve("state/statcache.bin");

        AtomicFile.replace(file, out -> out.write(1));

        assertEquals(1, Files.size(file));
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
