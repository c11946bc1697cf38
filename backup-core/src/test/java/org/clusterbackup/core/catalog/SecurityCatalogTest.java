package org.clusterbackup.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security store on a real SQLite file (and on PostgreSQL in {@link PostgresSecurityCatalogTest}): pins,
 * tokens and the audit trail, read back by column name.
 */
class SecurityCatalogTest {
    private static final Instant T0 = Instant.parse("2026-03-04T05:06:07.089Z");

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(T0);

    /** The store under test, the same one each call: a SQLite file here; the PostgreSQL subclass overrides it. */
    SecurityCatalog open() {
        return SecurityCatalog.open(dir, clock);
    }

    @Test
    void aFirstContactPinsOnceAndAnOperatorReplacesIt() {
        try (SecurityCatalog s = open()) {
            assertEquals(Optional.empty(), s.agentPin("127.0.0.2", 7071));
            assertTrue(s.pinAgentIfAbsent("127.0.0.2", 7071, "SHA256:first"));
            assertFalse(s.pinAgentIfAbsent("127.0.0.2", 7071, "SHA256:second"), "a pin is never overwritten silently");
            assertEquals(Optional.of("SHA256:first"), s.agentPin("127.0.0.2", 7071));
            s.pinAgent("127.0.0.2", 7071, "SHA256:trusted", SecurityCatalog.PinSource.TRUST);
            assertEquals(Optional.of("SHA256:trusted"), s.agentPin("127.0.0.2", 7071));
            assertEquals(Optional.empty(), s.agentPin("127.0.0.2", 7072), "pins are per node:port");
        }
    }

    @Test
    void tokensAreListedWithTheirTimesAndRevokedOnce() {
        try (SecurityCatalog s = open()) {
            assertFalse(s.hasActiveToken());
            assertTrue(s.addToken("ops", "operator", "hash-ops"));
            clock.advance(Duration.ofSeconds(1));
            assertTrue(s.addToken("view", "viewer", "hash-view"));
            assertFalse(s.addToken("ops", "admin", "hash-other"), "a name is taken once");
            clock.advance(Duration.ofSeconds(1));
            s.tokenUsed("ops");
            clock.advance(Duration.ofSeconds(1));

            assertEquals(Optional.of(T0.plusSeconds(3)), s.revokeToken("view"));
            assertEquals(Optional.empty(), s.revokeToken("view"), "already revoked");

            assertEquals(
                    List.of(
                            new SecurityCatalog.TokenRecord("ops", "operator", T0, T0.plusSeconds(2), null),
                            new SecurityCatalog.TokenRecord(
                                    "view", "viewer", T0.plusSeconds(1), null, T0.plusSeconds(3))),
                    s.tokens());
            assertEquals(List.of(new SecurityCatalog.TokenHash("ops", "operator", "hash-ops")), s.activeTokenHashes());
            assertTrue(s.hasActiveToken());
        }
    }

    @Test
    void theAuditTrailIsNewestFirstAndSurvivesAReopen() {
        try (SecurityCatalog s = open()) {
            s.audit("ops", "127.0.0.1:50000", "register", "{\"path\":\"/srv\"}", true, null);
            clock.advance(Duration.ofSeconds(1));
            s.audit(null, "127.0.0.1:50001", "run", "{}", false, "no valid token");
        }
        try (SecurityCatalog s = open()) {
            List<SecurityCatalog.AuditRecord> trail = s.auditTrail(0);
            assertEquals(2, trail.size());
            SecurityCatalog.AuditRecord newest = trail.get(0);
            assertEquals(
                    new SecurityCatalog.AuditRecord(
                            newest.id(),
                            T0.plusSeconds(1),
                            null,
                            "127.0.0.1:50001",
                            "run",
                            "{}",
                            false,
                            "no valid token"),
                    newest);
            assertEquals("register", trail.get(1).action());
            assertTrue(trail.get(1).ok());
            assertEquals(List.of(newest), s.auditTrail(1));
        }
    }
}
