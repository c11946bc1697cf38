package org.clusterbackup.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTrustTest {
    private static final Fingerprint A = new Fingerprint("SHA256:" + "A".repeat(43));
    private static final Fingerprint B = new Fingerprint("SHA256:" + "B".repeat(43));

    @TempDir
    Path dir;

    @Test
    void aTrustFileIsReadAgainWhenItChanges() throws Exception {
        Path file = dir.resolve("servers");
        Files.writeString(file, "# the backup server\nfingerprint " + A.value() + "\n\n");
        ServerTrust trust = new ServerTrust(List.of(), file);
        trust.check(A);
        assertThrows(PeerIdentityException.class, () -> trust.check(B));

        Files.writeString(file, B.value() + "\n");
        Files.setLastModifiedTime(
                file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
        trust.check(B);
        PeerIdentityException e = assertThrows(PeerIdentityException.class, () -> trust.check(A));
        assertTrue(e.getMessage().contains(A.value()), e.getMessage());
    }

    @Test
    void aMalformedFileRefusesToStartButAMalformedEditKeepsTheLastGoodList() throws Exception {
        Path file = dir.resolve("servers");
        Files.writeString(file, "not a fingerprint\n");
        IOException bad = assertThrows(IOException.class, () -> new ServerTrust(List.of(), file));
        assertTrue(bad.getMessage().contains("line 1"), bad.getMessage());

        Files.writeString(file, A.value() + "\n");
        ServerTrust trust = new ServerTrust(List.of(), file);
        Files.writeString(file, "oops\n");
        Files.setLastModifiedTime(
                file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
        trust.check(A);
    }

    @Test
    void withNothingGivenNobodyIsTrusted() throws Exception {
        assertTrue(new ServerTrust(List.of(), null).isEmpty());
        assertEquals(false, new ServerTrust(List.of(A), null).isEmpty());
    }
}
