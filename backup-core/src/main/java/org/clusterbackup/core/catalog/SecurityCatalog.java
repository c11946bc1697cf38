package org.clusterbackup.core.catalog;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the server knows about who may talk to it and to whom it talks: the pinned identities of agents
 * (per node:port), the operators' tokens (hashes only) and the audit trail. Its own SQLite file,
 * {@code DATA_DIR/security.db}, beside the catalog: credentials and the record of their use never share a
 * transaction with backups, and a copy of the catalog handed out for a diagnosis carries none of them.
 * Servers that share a PostgreSQL catalog share these tables in it too ({@link PostgresLocation}), so a token
 * or a pin made on one server holds on all.
 */
public final class SecurityCatalog implements AutoCloseable {
    public static final String FILE_NAME = "security.db";
    private static final List<String> SCHEMA = List.of("""
            CREATE TABLE agent_pins (
                node        TEXT    NOT NULL,
                port        INTEGER NOT NULL,
                fingerprint TEXT    NOT NULL,
                pinned_at   INTEGER NOT NULL,
                source      TEXT    NOT NULL CHECK (source IN ('REGISTER', 'FIRST_CONTACT', 'TRUST')),
                PRIMARY KEY (node, port)
            )""", """
            CREATE TABLE tokens (
                name         TEXT    PRIMARY KEY,
                role         TEXT    NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
                hash         TEXT    NOT NULL UNIQUE, -- SHA-256 of the token, hex; the token itself is never kept
                created_at   INTEGER NOT NULL,
                last_used_at INTEGER,
                revoked_at   INTEGER
            )""", """
            CREATE TABLE audit (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                at         INTEGER NOT NULL,
                token_name TEXT,             -- null when no valid token was presented
                peer       TEXT    NOT NULL,
                action     TEXT    NOT NULL,
                params     TEXT    NOT NULL, -- a JSON object
                ok         INTEGER NOT NULL CHECK (ok IN (0, 1)),
                error      TEXT
            )""");

    private final Database database;
    private final Clock clock;

    /** Over an open database: the SQLite file below, or the PostgreSQL catalog several servers share. */
    SecurityCatalog(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Opens (creating if needed) {@code dataDir/security.db}. */
    public static SecurityCatalog open(Path dataDir, Clock clock) {
        Path file = dataDir.resolve(FILE_NAME);
        // One migration: version 1 is the schema above; a change is a new migration after it.
        return new SecurityCatalog(SqliteDatabase.open(file, file.toString(), List.of(SCHEMA)), clock);
    }

    // ---- agent pins ----

    /** How a pin came to be. */
    public enum PinSource {
        REGISTER,
        FIRST_CONTACT,
        TRUST
    }

    public Optional<String> agentPin(String node, int port) {
        return locked(db -> Rows.first(
                db,
                "SELECT fingerprint FROM agent_pins WHERE node = ? AND port = ?",
                r -> r.text("fingerprint"),
                node,
                port));
    }

    /** Sets the pin of node:port, replacing any. */
    public void pinAgent(String node, int port, String fingerprint, PinSource source) {
        locked(db -> Rows.update(
                db,
                "INSERT INTO agent_pins (node, port, fingerprint, pinned_at, source)"
                        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (node, port) DO UPDATE SET fingerprint = excluded.fingerprint,"
                        + " pinned_at = excluded.pinned_at, source = excluded.source",
                node,
                port,
                fingerprint,
                clock.millis(),
                source.name()));
    }

    /** Records a first contact's identity unless a pin appeared meanwhile; true if this call pinned it. */
    public boolean pinAgentIfAbsent(String node, int port, String fingerprint) {
        return locked(db -> Rows.update(
                        db,
                        "INSERT INTO agent_pins (node, port, fingerprint, pinned_at, source)"
                                + " VALUES (?, ?, ?, ?, 'FIRST_CONTACT') ON CONFLICT DO NOTHING",
                        node,
                        port,
                        fingerprint,
                        clock.millis())
                == 1);
    }

    // ---- tokens ----

    /** A token's row, without the hash. */
    public record TokenRecord(String name, String role, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {}

    public boolean hasActiveToken() {
        return locked(db -> Rows.first(
                        db, "SELECT 1 AS one FROM tokens WHERE revoked_at IS NULL LIMIT 1", r -> r.getInt("one"))
                .isPresent());
    }

    /** @return false when the name is taken (revoked names stay taken: the audit trail names them) */
    public boolean addToken(String name, String role, String hash) {
        return locked(db -> Rows.update(
                        db,
                        "INSERT INTO tokens (name, role, hash, created_at)"
                                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        name,
                        role,
                        hash,
                        clock.millis())
                == 1);
    }

    /** Every token, revoked ones included, oldest first; never a hash. */
    public List<TokenRecord> tokens() {
        return locked(db -> Rows.all(
                db,
                "SELECT name, role, created_at, last_used_at, revoked_at FROM tokens" + " ORDER BY created_at, name",
                r -> new TokenRecord(
                        r.text("name"),
                        r.text("role"),
                        r.timeOrNull("created_at"),
                        r.timeOrNull("last_used_at"),
                        r.timeOrNull("revoked_at"))));
    }

    /** An active token's name, role and SHA-256 (hex), for the caller to compare in constant time. */
    public record TokenHash(String name, String role, String hash) {}

    public List<TokenHash> activeTokenHashes() {
        return locked(db -> Rows.all(
                db,
                "SELECT name, role, hash FROM tokens WHERE revoked_at IS NULL",
                r -> new TokenHash(r.text("name"), r.text("role"), r.text("hash"))));
    }

    public void tokenUsed(String name) {
        locked(db -> Rows.update(db, "UPDATE tokens SET last_used_at = ? WHERE name = ?", clock.millis(), name));
    }

    /** @return the revocation time, or empty if no active token has that name */
    public Optional<Instant> revokeToken(String name) {
        long now = clock.millis();
        return locked(db ->
                Rows.update(db, "UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", now, name)
                                == 1
                        ? Optional.of(Instant.ofEpochMilli(now))
                        : Optional.empty());
    }

    // ---- audit ----

    /** One audited request. */
    public record AuditRecord(
            long id,
            Instant at,
            String tokenName,
            String peer,
            String action,
            String paramsJson,
            boolean ok,
            String error) {}

    public void audit(String tokenName, String peer, String action, String paramsJson, boolean ok, String error) {
        locked(db -> Rows.update(
                db,
                "INSERT INTO audit (at, token_name, peer, action, params, ok, error)" + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                clock.millis(),
                tokenName,
                peer,
                action,
                paramsJson,
                ok ? 1 : 0,
                error));
    }

    /** Newest first; {@code limit} 0 for all. */
    public List<AuditRecord> auditTrail(int limit) {
        return locked(db -> Rows.all(
                db,
                "SELECT id, at, token_name, peer, action, params, ok, error FROM audit" + " ORDER BY id DESC LIMIT ?",
                r -> new AuditRecord(
                        r.getLong("id"),
                        r.timeOrNull("at"),
                        r.text("token_name"),
                        r.text("peer"),
                        r.text("action"),
                        r.text("params"),
                        r.flag("ok"),
                        r.text("error")),
                limit == 0 ? Long.MAX_VALUE : limit));
    }

    // ---- plumbing ----

    /** Each call is one statement in autocommit: atomic on its own. */
    private <T> T locked(Database.Work<T, RuntimeException> work) {
        return database.read(work);
    }

    @Override
    public void close() {
        database.close();
    }
}
