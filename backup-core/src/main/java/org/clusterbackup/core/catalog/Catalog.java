package org.clusterbackup.core.catalog;

import java.nio.file.Files;
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
import java.util.stream.Collectors;
import org.clusterbackup.core.model.RefusedException;
import org.clusterbackup.core.protocol.ErrorCode;
import org.clusterbackup.core.protocol.TargetSelector;

/**
 * The server's registry and history, in one SQLite file (WAL mode). Every method is one transaction;
 * callers never see SQL. One connection serves the process, guarded by a lock: the catalog's work is a
 * few small statements per backup run, far below what one SQLite connection sustains.
 */
public final class Catalog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Catalog.class.getName());
    private static final String TARGET_COLUMNS = "id, node, port, path, every_seconds, registered_at, active";

    private final Path file;
    private final Clock clock;
    private final Connection db;
    private final ReentrantLock lock = new ReentrantLock();

    private Catalog(Path file, Clock clock, Connection db) {
        this.file = file;
        this.clock = clock;
        this.db = db;
    }

    /**
     * Opens (creating if needed) the catalog file and brings its schema up to date.
     *
     * @throws CatalogException the file cannot be opened, or holds a schema newer than this program
     */
    public static Catalog open(Path file, Clock clock) {
        Connection db = null;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000");
                s.execute("PRAGMA journal_mode = WAL");
                // FULL: a commit that returned survives a power cut; the store relies on it.
                s.execute("PRAGMA synchronous = FULL");
                s.execute("PRAGMA foreign_keys = ON");
            }
            Catalog catalog = new Catalog(file, clock, db);
            catalog.migrate();
            return catalog;
        } catch (SQLException | java.io.IOException e) {
            closeQuietly(db);
            throw new CatalogException("cannot open catalog " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(db);
            throw e;
        }
    }

    /** The schema version of the open file ({@code PRAGMA user_version}). */
    public int schemaVersion() {
        return read(Catalog::userVersion);
    }

    // ---- targets ----

    /**
     * Registers a new target, or reactivates an unregistered one with the new frequency and the same id.
     *
     * @throws RefusedException {@code DUPLICATE} when the target is already active
     */
    public Target register(String node, int port, String path, long everySeconds) {
        long now = clock.millis();
        return write(db -> {
            Optional<Target> existing = find(db, node, path, port);
            if (existing.isPresent()) {
                Target t = existing.get();
                if (t.active()) {
                    throw new RefusedException(ErrorCode.DUPLICATE, "target " + t.label()
                            + " is already registered (id " + t.id() + ", every "
                            + org.clusterbackup.core.model.Frequency.format(t.everySeconds())
                            + "); unregister it first to change its frequency");
                }
                try (PreparedStatement ps = db.prepareStatement(
                        "UPDATE targets SET active = 1, every_seconds = ?, registered_at = ? WHERE id = ?")) {
                    ps.setLong(1, everySeconds);
                    ps.setLong(2, now);
                    ps.setLong(3, t.id());
                    ps.executeUpdate();
                }
                return new Target(t.id(), node, port, path, everySeconds, Instant.ofEpochMilli(now), true);
            }
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO targets (node, port, path, every_seconds, registered_at, active) VALUES (?, ?, ?, ?, ?, 1)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, node);
                ps.setInt(2, port);
                ps.setString(3, path);
                ps.setLong(4, everySeconds);
                ps.setLong(5, now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return new Target(keys.getLong(1), node, port, path, everySeconds, Instant.ofEpochMilli(now), true);
                }
            }
        });
    }

    /**
     * Deactivates the selected target. Its id, archives and executions stay.
     *
     * @throws RefusedException {@code NOT_FOUND} or {@code AMBIGUOUS}, or {@code NOT_FOUND} when the
     *         target exists but is not registered
     */
    public Target unregister(TargetSelector selector) {
        return write(db -> {
            Target t = resolve(db, selector);
            if (!t.active()) {
                throw new RefusedException(ErrorCode.NOT_FOUND, "target " + t.label() + " (id " + t.id()
                        + ") is not registered");
            }
            try (PreparedStatement ps = db.prepareStatement("UPDATE targets SET active = 0 WHERE id = ?")) {
                ps.setLong(1, t.id());
                ps.executeUpdate();
            }
            return new Target(t.id(), t.node(), t.port(), t.path(), t.everySeconds(), t.registeredAt(), false);
        });
    }

    /**
     * The target a user's selector means, active or not.
     *
     * @throws RefusedException {@code NOT_FOUND}, or {@code AMBIGUOUS} naming the ports to choose from
     */
    public Target resolve(TargetSelector selector) {
        return read(db -> resolve(db, selector));
    }

    public Optional<Target> target(long id) {
        return read(db -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT " + TARGET_COLUMNS + " FROM targets WHERE id = ?")) {
                ps.setLong(1, id);
                List<Target> rows = targets(ps);
                return rows.stream().findFirst();
            }
        });
    }

    /** Active targets ordered by id. */
    public List<Target> activeTargets() {
        return read(db -> {
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT " + TARGET_COLUMNS + " FROM targets WHERE active = 1 ORDER BY id")) {
                return targets(ps);
            }
        });
    }

    private static Target resolve(Connection db, TargetSelector selector) throws SQLException {
        if (selector.port() != null) {
            return find(db, selector.node(), selector.path(), selector.port()).orElseThrow(() ->
                    new RefusedException(ErrorCode.NOT_FOUND, "no target " + selector.node() + ":" + selector.port()
                            + " " + selector.path()));
        }
        List<Target> matches;
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT " + TARGET_COLUMNS + " FROM targets WHERE node = ? AND path = ? ORDER BY port")) {
            ps.setString(1, selector.node());
            ps.setString(2, selector.path());
            matches = targets(ps);
        }
        if (matches.isEmpty()) {
            throw new RefusedException(ErrorCode.NOT_FOUND, "no target with node " + selector.node()
                    + " and path " + selector.path());
        }
        if (matches.size() > 1) {
            throw new RefusedException(ErrorCode.AMBIGUOUS, "several targets have node " + selector.node()
                    + " and path " + selector.path() + " (ports "
                    + matches.stream().map(t -> String.valueOf(t.port())).collect(Collectors.joining(", "))
                    + "): choose one with --port");
        }
        return matches.get(0);
    }

    private static Optional<Target> find(Connection db, String node, String path, int port) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT " + TARGET_COLUMNS + " FROM targets WHERE node = ? AND path = ? AND port = ?")) {
            ps.setString(1, node);
            ps.setString(2, path);
            ps.setInt(3, port);
            return targets(ps).stream().findFirst();
        }
    }

    private static List<Target> targets(PreparedStatement ps) throws SQLException {
        List<Target> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Target(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getLong(5),
                        Instant.ofEpochMilli(rs.getLong(6)), rs.getInt(7) == 1));
            }
        }
        return out;
    }

    // ---- schema and transactions ----

    private void migrate() {
        write(db -> {
            int version = userVersion(db);
            int latest = Schema.latestVersion();
            if (version > latest) {
                throw new CatalogException("catalog " + file + " has schema version " + version
                        + ", newer than this program's " + latest + "; run a newer backup-server");
            }
            for (int v = version + 1; v <= latest; v++) {
                try (Statement s = db.createStatement()) {
                    for (String sql : Schema.MIGRATIONS.get(v - 1)) {
                        s.execute(sql);
                    }
                    s.execute("PRAGMA user_version = " + v);
                }
                LOG.log(System.Logger.Level.INFO, "catalog {0}: migrated schema to version {1}", file, v);
            }
            return null;
        });
    }

    private static int userVersion(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection db) throws SQLException;
    }

    private <T> T read(Work<T> work) {
        lock.lock();
        try {
            return work.run(db);
        } catch (SQLException e) {
            throw new CatalogException("catalog " + file + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private <T> T write(Work<T> work) {
        lock.lock();
        try {
            db.setAutoCommit(false);
            try {
                T result = work.run(db);
                db.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new CatalogException("catalog " + file + ": " + e.getMessage(), e);
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
            LOG.log(System.Logger.Level.WARNING, "closing catalog {0}: {1}", file, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing; the original error is the one to report
            }
        }
    }
}
