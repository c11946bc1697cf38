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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    // ---- executions and archives ----

    private static final String EXECUTION_SELECT = "SELECT e.id, e.target_id, t.node, t.port, t.path, e.trigger,"
            + " e.started_at, e.finished_at, e.outcome, e.bytes_received, e.archive_id, e.files, e.error,"
            + " e.failure_kind, e.warnings, e.transfer FROM executions e JOIN targets t ON t.id = e.target_id";
    private static final String ARCHIVE_COLUMNS =
            "id, target_id, created_at, size_bytes, files, sha256, digest, file_name, pruned_at, corrupt, index_sha256";

    /** Logs the start of a run: a RUNNING row that a crash leaves behind for start-up to close. */
    public Execution startExecution(Target target, String trigger) {
        long now = clock.millis();
        return write(db -> {
            long id;
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO executions (target_id, trigger, started_at, outcome) VALUES (?, ?, ?, 'RUNNING')",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, target.id());
                ps.setString(2, trigger);
                ps.setLong(3, now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            return execution(db, id);
        });
    }

    /**
     * Records a stored archive and completes its execution, in one transaction. {@code placer} moves the
     * verified file to its final name inside the transaction; if it fails, nothing is recorded.
     *
     * @param transfer how the archive came: {@link Execution#FULL} or {@link Execution#DELTA}
     */
    public Execution finishStored(long executionId, NewArchive archive, long bytesReceived, List<String> warnings,
                                  String transfer, ArchivePlacer placer) throws java.io.IOException {
        long now = clock.millis();
        try {
            return write(db -> {
                long targetId = targetOf(db, executionId);
                long archiveId;
                try (PreparedStatement ps = db.prepareStatement("INSERT INTO archives (target_id, created_at,"
                        + " size_bytes, files, sha256, digest, file_name, index_sha256) VALUES (?, ?, ?, ?, ?, ?, '', ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    ps.setLong(1, targetId);
                    ps.setLong(2, now);
                    ps.setLong(3, archive.sizeBytes());
                    ps.setInt(4, archive.files());
                    ps.setString(5, archive.sha256());
                    ps.setString(6, archive.digest());
                    ps.setString(7, archive.indexSha256());
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        archiveId = keys.getLong(1);
                    }
                }
                String fileName;
                try {
                    fileName = placer.place(targetId, archiveId);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                try (PreparedStatement ps = db.prepareStatement("UPDATE archives SET file_name = ? WHERE id = ?")) {
                    ps.setString(1, fileName);
                    ps.setLong(2, archiveId);
                    ps.executeUpdate();
                }
                finish(db, executionId, now, Execution.STORED, bytesReceived, archiveId, archive.files(), null, null,
                        warnings);
                try (PreparedStatement ps = db.prepareStatement("UPDATE executions SET transfer = ? WHERE id = ?")) {
                    ps.setString(1, transfer);
                    ps.setLong(2, executionId);
                    ps.executeUpdate();
                }
                return execution(db, executionId);
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Completes a run whose tree matched the archive it already had. */
    public Execution finishUnchanged(long executionId, Archive confirmed, long bytesReceived, List<String> warnings) {
        long now = clock.millis();
        return write(db -> {
            finish(db, executionId, now, Execution.UNCHANGED, bytesReceived, confirmed.id(), confirmed.files(), null,
                    null, warnings);
            return execution(db, executionId);
        });
    }

    /** Completes a failed run with its one-line reason and what kind of failure it was. */
    public Execution finishFailed(long executionId, String error, String failureKind, long bytesReceived,
                                  List<String> warnings) {
        long now = clock.millis();
        return write(db -> {
            finish(db, executionId, now, Execution.FAILED, bytesReceived, null, null, error, failureKind, warnings);
            return execution(db, executionId);
        });
    }

    private void finish(Connection db, long executionId, long now, String outcome, long bytes, Long archiveId,
                        Integer files, String error, String failureKind, List<String> warnings) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("UPDATE executions SET finished_at = ?, outcome = ?,"
                + " bytes_received = ?, archive_id = ?, files = ?, error = ?, failure_kind = ?, warnings = ?"
                + " WHERE id = ? AND outcome = 'RUNNING'")) {
            ps.setLong(1, now);
            ps.setString(2, outcome);
            ps.setLong(3, bytes);
            ps.setObject(4, archiveId);
            ps.setObject(5, files);
            ps.setString(6, error);
            ps.setString(7, failureKind);
            ps.setString(8, warningsJson(warnings));
            ps.setLong(9, executionId);
            if (ps.executeUpdate() != 1) {
                throw new CatalogException("execution " + executionId + " is not running; it cannot be finished twice");
            }
        }
    }

    /**
     * Start-up: runs left RUNNING by a crash are closed as FAILED with {@code reason}.
     *
     * @return how many were closed
     */
    public int failInterruptedRuns(String reason) {
        long now = clock.millis();
        return write(db -> {
            try (PreparedStatement ps = db.prepareStatement("UPDATE executions SET outcome = 'FAILED', finished_at = ?,"
                    + " error = ?, failure_kind = 'OTHER' WHERE outcome = 'RUNNING'")) {
                ps.setLong(1, now);
                ps.setString(2, reason);
                return ps.executeUpdate();
            }
        });
    }


    /**
     * Executions, newest first.
     *
     * @param targetId one target's, or {@code null} for all
     * @param limit at most this many; 0 for all
     */
    public List<Execution> executions(Long targetId, int limit) {
        return read(db -> {
            String sql = EXECUTION_SELECT + (targetId == null ? "" : " WHERE e.target_id = ?") + " ORDER BY e.id DESC"
                    + (limit > 0 ? " LIMIT " + limit : "");
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                if (targetId != null) {
                    ps.setLong(1, targetId);
                }
                return executions(ps);
            }
        });
    }

    /** The newest execution of every target that has one: where each schedule stood. */
    public Map<Long, Execution> lastExecutions() {
        return read(db -> {
            try (PreparedStatement ps = db.prepareStatement(EXECUTION_SELECT
                    + " WHERE e.id IN (SELECT MAX(id) FROM executions GROUP BY target_id)")) {
                Map<Long, Execution> out = new HashMap<>();
                for (Execution e : executions(ps)) {
                    out.put(e.targetId(), e);
                }
                return out;
            }
        });
    }

    /** Per active target: the outcome of its last finished run and when its last success ended. */
    public Map<Long, RunSummary> runSummaries() {
        return read(db -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT t.id,"
                    + " (SELECT outcome FROM executions e WHERE e.target_id = t.id AND e.outcome != 'RUNNING'"
                    + "  ORDER BY e.id DESC LIMIT 1),"
                    + " (SELECT MAX(finished_at) FROM executions e WHERE e.target_id = t.id"
                    + "  AND e.outcome IN ('STORED', 'UNCHANGED'))"
                    + " FROM targets t WHERE t.active = 1");
                 ResultSet rs = ps.executeQuery()) {
                Map<Long, RunSummary> out = new HashMap<>();
                while (rs.next()) {
                    out.put(rs.getLong(1), new RunSummary(rs.getString(2), instant(rs, 3)));
                }
                return out;
            }
        });
    }

    /** Every archive the target ever stored, newest first, pruned ones included. */
    public List<Archive> archives(long targetId) {
        return read(db -> {
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT " + ARCHIVE_COLUMNS + " FROM archives WHERE target_id = ? ORDER BY id DESC")) {
                ps.setLong(1, targetId);
                return archives(ps);
            }
        });
    }

    public Optional<Archive> archive(long id) {
        return read(db -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT " + ARCHIVE_COLUMNS + " FROM archives WHERE id = ?")) {
                ps.setLong(1, id);
                return archives(ps).stream().findFirst();
            }
        });
    }

    /** Records what {@code verify} found: a damaged archive is no longer offered as the base of a run. */
    public void markCorrupt(long archiveId, boolean corrupt) {
        write(db -> {
            try (PreparedStatement ps = db.prepareStatement("UPDATE archives SET corrupt = ? WHERE id = ?")) {
                ps.setInt(1, corrupt ? 1 : 0);
                ps.setLong(2, archiveId);
                return ps.executeUpdate();
            }
        });
    }

    /** Archives whose files are kept (not pruned), of all targets: what the store must hold. */
    public List<Archive> storedArchives() {
        return read(db -> {
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT " + ARCHIVE_COLUMNS + " FROM archives WHERE pruned_at IS NULL ORDER BY id")) {
                return archives(ps);
            }
        });
    }

    /**
     * The newest kept archive of the target, the base for change detection. Empty when there is none or
     * when the newest one is damaged: then the next run must store a fresh archive, not confirm a bad one.
     */
    public Optional<Archive> newestSoundArchive(long targetId) {
        return read(db -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT " + ARCHIVE_COLUMNS
                    + " FROM archives WHERE target_id = ? AND pruned_at IS NULL ORDER BY id DESC LIMIT 1")) {
                ps.setLong(1, targetId);
                return archives(ps).stream().filter(a -> !a.corrupt()).findFirst();
            }
        });
    }

    /**
     * Retention: marks every kept archive of the target beyond the newest {@code keep} as pruned.
     *
     * @return the archives just pruned; the caller deletes their files after this commit
     */
    public List<Archive> pruneBeyond(long targetId, int keep) {
        long now = clock.millis();
        return write(db -> {
            List<Archive> beyond;
            try (PreparedStatement ps = db.prepareStatement("SELECT " + ARCHIVE_COLUMNS
                    + " FROM archives WHERE target_id = ? AND pruned_at IS NULL ORDER BY id DESC LIMIT -1 OFFSET ?")) {
                ps.setLong(1, targetId);
                ps.setInt(2, keep);
                beyond = archives(ps);
            }
            try (PreparedStatement ps = db.prepareStatement("UPDATE archives SET pruned_at = ? WHERE id = ?")) {
                for (Archive a : beyond) {
                    ps.setLong(1, now);
                    ps.setLong(2, a.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return beyond;
        });
    }

    private static long targetOf(Connection db, long executionId) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT target_id FROM executions WHERE id = ?")) {
            ps.setLong(1, executionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new CatalogException("no execution " + executionId);
                }
                return rs.getLong(1);
            }
        }
    }

    private static Execution execution(Connection db, long id) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(EXECUTION_SELECT + " WHERE e.id = ?")) {
            ps.setLong(1, id);
            return executions(ps).get(0);
        }
    }

    private static List<Execution> executions(PreparedStatement ps) throws SQLException {
        List<Execution> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Execution(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                        rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)), instant(rs, 8), rs.getString(9),
                        rs.getLong(10), nullableLong(rs, 11), nullableInt(rs, 12), rs.getString(13),
                        rs.getString(14), warnings(rs.getString(15)), rs.getString(16)));
            }
        }
        return out;
    }

    private static List<Archive> archives(PreparedStatement ps) throws SQLException {
        List<Archive> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Archive(rs.getLong(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getLong(4),
                        rs.getInt(5), rs.getString(6), rs.getString(7), rs.getString(8), instant(rs, 9),
                        rs.getInt(10) == 1, rs.getString(11)));
            }
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static String warningsJson(List<String> warnings) {
        try {
            return org.clusterbackup.core.protocol.Json.mapper().writeValueAsString(warnings == null ? List.of() : warnings);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode warnings", e);
        }
    }

    private static List<String> warnings(String json) {
        try {
            return List.of(org.clusterbackup.core.protocol.Json.mapper().readValue(json, String[].class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CatalogException("unreadable warnings in the catalog: " + json, e);
        }
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
