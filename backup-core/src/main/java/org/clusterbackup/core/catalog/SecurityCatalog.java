package org.clusterbackup.core.catalog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the server knows about who may talk to it and to whom it talks: the pinned identities of agents
 * (per node:port), the operators' tokens (hashes only) and the audit trail. Its own SQLite file,
 * {@code DATA_DIR/security.db}, beside the catalog: credentials and the record of their use never share a
 * transaction with backups, and a copy of the catalog handed out for a diagnosis carries none of them.
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

    private final Path file;
    private final Clock clock;
    private final Connection db;
    private final ReentrantLock lock = new ReentrantLock();

    private SecurityCatalog(Path file, Clock clock, Connection db) {
        this.file = file;
        this.clock = clock;
        this.db = db;
    }

    /** Opens (creating if needed) {@code dataDir/security.db}. */
    public static SecurityCatalog open(Path dataDir, Clock clock) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = FULL");
                try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        for (String sql : SCHEMA) {
                            s.execute(sql);
                        }
                        s.execute("PRAGMA user_version = 1");
                    } else if (rs.getInt(1) > 1) {
                        db.close();
                        throw new CatalogException(file + " is from a newer backup-server; run that one");
                    }
                }
            } catch (SQLException e) {
                db.close();
                throw e;
            }
            return new SecurityCatalog(file, clock, db);
        } catch (SQLException e) {
            throw new CatalogException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    // ---- agent pins ----

    /** How a pin came to be. */
    public enum PinSource { REGISTER, FIRST_CONTACT, TRUST }

    public Optional<String> agentPin(String node, int port) {
        return locked(() -> {
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT fingerprint FROM agent_pins WHERE node = ? AND port = ?")) {
                ps.setString(1, node);
                ps.setInt(2, port);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** Sets the pin of node:port, replacing any. */
    public void pinAgent(String node, int port, String fingerprint, PinSource source) {
        locked(() -> {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO agent_pins (node, port, fingerprint, pinned_at, "
                    + "source) VALUES (?, ?, ?, ?, ?) ON CONFLICT (node, port) DO UPDATE SET fingerprint = excluded.fingerprint, "
                    + "pinned_at = excluded.pinned_at, source = excluded.source")) {
                ps.setString(1, node);
                ps.setInt(2, port);
                ps.setString(3, fingerprint);
                ps.setLong(4, clock.millis());
                ps.setString(5, source.name());
                return ps.executeUpdate();
            }
        });
    }

    /** Records a first contact's identity unless a pin appeared meanwhile; true if this call pinned it. */
    public boolean pinAgentIfAbsent(String node, int port, String fingerprint) {
        return locked(() -> {
            try (PreparedStatement ps = db.prepareStatement("INSERT OR IGNORE INTO agent_pins (node, port, fingerprint, "
                    + "pinned_at, source) VALUES (?, ?, ?, ?, 'FIRST_CONTACT')")) {
                ps.setString(1, node);
                ps.setInt(2, port);
                ps.setString(3, fingerprint);
                ps.setLong(4, clock.millis());
                return ps.executeUpdate() == 1;
            }
        });
    }

    // ---- tokens ----

    /** A token's row, without the hash. */
    public record TokenRecord(String name, String role, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
    }

    public boolean hasActiveToken() {
        return locked(() -> {
            try (Statement s = db.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1 FROM tokens WHERE revoked_at IS NULL LIMIT 1")) {
                return rs.next();
            }
        });
    }

    /** @return false when the name is taken (revoked names stay taken: the audit trail names them) */
    public boolean addToken(String name, String role, String hash) {
        return locked(() -> {
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT OR IGNORE INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, role);
                ps.setString(3, hash);
                ps.setLong(4, clock.millis());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Every token, revoked ones included, oldest first; never a hash. */
    public List<TokenRecord> tokens() {
        return locked(() -> {
            List<TokenRecord> all = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT name, role, created_at, last_used_at, revoked_at FROM tokens ORDER BY created_at, name")) {
                while (rs.next()) {
                    all.add(new TokenRecord(rs.getString(1), rs.getString(2), instant(rs, 3), instant(rs, 4),
                            instant(rs, 5)));
                }
            }
            return all;
        });
    }

    /** An active token's name, role and SHA-256 (hex), for the caller to compare in constant time. */
    public record TokenHash(String name, String role, String hash) {
    }

    public List<TokenHash> activeTokenHashes() {
        return locked(() -> {
            List<TokenHash> all = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT name, role, hash FROM tokens WHERE revoked_at IS NULL")) {
                while (rs.next()) {
                    all.add(new TokenHash(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            return all;
        });
    }

    public void tokenUsed(String name) {
        locked(() -> update("UPDATE tokens SET last_used_at = ? WHERE name = ?", clock.millis(), name));
    }

    /** @return the revocation time, or empty if no active token has that name */
    public Optional<Instant> revokeToken(String name) {
        long now = clock.millis();
        return locked(() -> update("UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", now, name) == 1
                ? Optional.of(Instant.ofEpochMilli(now)) : Optional.empty());
    }

    // ---- audit ----

    /** One audited request. */
    public record AuditRecord(long id, Instant at, String tokenName, String peer, String action, String paramsJson,
                              boolean ok, String error) {
    }

    public void audit(String tokenName, String peer, String action, String paramsJson, boolean ok, String error) {
        locked(() -> {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO audit (at, token_name, peer, action, params, ok, "
                    + "error) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, clock.millis());
                ps.setString(2, tokenName);
                ps.setString(3, peer);
                ps.setString(4, action);
                ps.setString(5, paramsJson);
                ps.setInt(6, ok ? 1 : 0);
                ps.setString(7, error);
                return ps.executeUpdate();
            }
        });
    }

    /** Newest first; {@code limit} 0 for all. */
    public List<AuditRecord> auditTrail(int limit) {
        return locked(() -> {
            List<AuditRecord> all = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT id, at, token_name, peer, action, params, ok, error "
                    + "FROM audit ORDER BY id DESC LIMIT ?")) {
                ps.setLong(1, limit == 0 ? Long.MAX_VALUE : limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        all.add(new AuditRecord(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getInt(7) == 1, rs.getString(8)));
                    }
                }
            }
            return all;
        });
    }

    // ---- plumbing ----

    private int update(String sql, long millis, String name) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setLong(1, millis);
            ps.setString(2, name);
            return ps.executeUpdate();
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    /** Each call is one statement in autocommit: atomic on its own. */
    private <T> T locked(Work<T> work) {
        lock.lock();
        try {
            return work.run();
        } catch (SQLException e) {
            throw new CatalogException(file + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            db.close();
        } catch (SQLException e) {
            System.getLogger(SecurityCatalog.class.getName()).log(System.Logger.Level.WARNING,
                    "closing " + file + ": " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }
}
