package org.clusterbackup.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Base64;
import org.clusterbackup.core.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTest {
    @TempDir
    Path dir;

    @Test
    void firstUseCreatesAnOwnerOnlyFileAndLaterUsesLoadTheSameIdentity() throws Exception {
        Identity first = Identity.loadOrCreate(dir, "backup-server");
        Path file = dir.resolve(Identity.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("EC", first.certificate().getPublicKey().getAlgorithm());
        assertEquals(
                first.fingerprint(), Identity.loadOrCreate(dir, "backup-server").fingerprint());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp file left beside the identity");
        }
    }

    @Test
    void fingerprintIsTheUnpaddedBase64OfTheCertificatesSha256() throws Exception {
        Identity id = Identity.loadOrCreate(dir, "backup-agent");
        byte[] hash =
                MessageDigest.getInstance("SHA-256").digest(id.certificate().getEncoded());
        assertEquals(
                "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(hash),
                id.fingerprint().value());
    }

    @Test
    void twoDirectoriesGetTwoIdentities() throws Exception {
        assertNotEquals(
                Identity.loadOrCreate(dir.resolve("a"), "x").fingerprint(),
                Identity.loadOrCreate(dir.resolve("b"), "x").fingerprint());
    }

    @Test
    void anIdentityFileThatGroupOrOthersCanReadIsRefused() throws Exception {
        Identity.loadOrCreate(dir, "backup-server");
        Path file = dir.resolve(Identity.FILE_NAME);
        for (String mode : new String[] {"rw-r-----", "rw----r--"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            IOException e = assertThrows(IOException.class, () -> Identity.loadOrCreate(dir, "backup-server"));
            assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        }
    }

    @Test
    void malformedFingerprintsAreRefusedWithTheirSource() {
        for (String bad : new String[] {"", "SHA256:abc", "MD5:" + "A".repeat(43), "SHA256:" + "A".repeat(43) + "="}) {
            InvalidInputException e =
                    assertThrows(InvalidInputException.class, () -> Fingerprint.parse(bad, "--trust-server"));
            assertTrue(e.getMessage().startsWith("--trust-server: "), e.getMessage());
        }
        assertEquals(
                "SHA256:" + "A".repeat(43),
                Fingerprint.parse(" SHA256:" + "A".repeat(43) + "\n", "x").value());
    }
}
