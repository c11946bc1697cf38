package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.client.FetchResult;
import org.clusterbackup.core.client.IntegrityException;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.VerifyResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetchVerifyTest {
    @TempDir
    Path dir;

    Pipeline p;
    TargetSelector target;
    ArchiveInfo archive;

    @BeforeEach
    void setUp() throws IOException {
        p = new Pipeline(dir).start();
        Path tree = Trees.sample(p.source);
        target = p.register(tree);
        assertEquals(Outcome.STORED, p.client.run(target).outcome());
        archive = p.client.backups(target).get(0);
    }

    @AfterEach
    void tearDown() throws IOException {
        p.close();
    }

    @Test
    void fetchReturnsExactlyTheStoredFile() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FetchResult result = p.client.fetch(archive.id(), out);
        assertArrayEquals(Files.readAllBytes(Path.of(archive.file())), out.toByteArray());
        assertEquals(archive.sha256(), result.sha256());
        assertEquals(archive.sizeBytes(), result.sizeBytes());
    }

    @Test
    void fetchOfADamagedFileFailsItsCheck() throws Exception {
        Trees.flipByte(Path.of(archive.file()));
        IntegrityException e =
                assertThrows(IntegrityException.class, () -> p.client.fetch(archive.id(), new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void fetchOfAnUnknownOrMissingArchiveIsRefusedOrFlagged() throws Exception {
        RemoteErrorException unknown =
                assertThrows(RemoteErrorException.class, () -> p.client.fetch(9999, new ByteArrayOutputStream()));
        assertEquals(ErrorCode.NOT_FOUND, unknown.code());
        Files.delete(Path.of(archive.file()));
        RemoteErrorException missing = assertThrows(
                RemoteErrorException.class, () -> p.client.fetch(archive.id(), new ByteArrayOutputStream()));
        assertEquals(ErrorCode.INTEGRITY, missing.code());
    }

    @Test
    void verifyPassesOnASoundArchive() throws Exception {
        List<VerifyResult> results = p.client.verify(null, null, true);
        assertEquals(List.of(new VerifyResult(archive.id(), true, null)), results);
        assertFalse(p.client.backups(target).get(0).corrupt());
    }

    @Test
    void verifyNamesATruncatedFileAndTheNextRunStoresAFreshArchive() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(archive.file(), "rw")) {
            f.setLength(f.length() / 2);
        }
        VerifyResult r = p.client.verify(archive.id(), null, false).get(0);
        assertFalse(r.ok());
        assertTrue(r.problem().contains("truncated"), r.problem());
        assertDamagedThenReplaced();
    }

    @Test
    void verifyNamesAFlippedByte() throws Exception {
        Trees.flipByte(Path.of(archive.file()));
        VerifyResult r = p.client.verify(null, target, false).get(0);
        assertFalse(r.ok());
        assertTrue(r.problem().contains("sha256"), r.problem());
        assertDamagedThenReplaced();
    }

    @Test
    void verifyNamesAMissingFile() throws Exception {
        Files.delete(Path.of(archive.file()));
        VerifyResult r = p.client.verify(null, null, true).get(0);
        assertFalse(r.ok());
        assertTrue(r.problem().contains("missing"), r.problem());
        assertDamagedThenReplaced();
    }

    @Test
    void verifyOfAPrunedOrUnknownArchiveIsRefused() {
        RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> p.client.verify(4242L, null, false));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        RemoteErrorException twoScopes =
                assertThrows(RemoteErrorException.class, () -> p.client.verify(archive.id(), null, true));
        assertEquals(ErrorCode.BAD_REQUEST, twoScopes.code());
    }

    /** The damaged archive is marked, is no longer the base of change detection, and the next run stores anew. */
    private void assertDamagedThenReplaced() throws IOException {
        assertTrue(p.client.backups(target).get(0).corrupt());
        assertEquals(
                Outcome.STORED,
                p.client.run(target).outcome(),
                "an unchanged tree is stored again over a damaged base");
        List<ArchiveInfo> backups = p.client.backups(target);
        assertEquals(2, backups.size());
        assertFalse(backups.get(0).corrupt());
        assertNull(p.client.verify(backups.get(0).id(), null, false).get(0).problem());
    }
}
