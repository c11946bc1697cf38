package org.clusterbackup.core.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One SQLite file opened as every database of the server needs it: WAL mode, FULL sync, foreign keys,
 * the schema brought up to date by forward migrations, and one connection guarded by a lock. The
 * server's work is a few small statements per backup run, far below what one SQLite connection sustains.
 *
 * <p>{@link #write} is a transaction; a {@code write} inside another one joins it, so operations that
 * span tables (an archive and the execution that stored it) compose from the per-table ones and commit
 * or roll back as one.
 */
final class SqliteDatabase implements Database {
    private static final System.Logger LOG = System.getLogger(SqliteDatabase.class.getName());

    private final String name;
    private final Connection db;
    private final ReentrantLock lock = new ReentrantLock();
    /** How many {@link #write}s the lock's holder is inside; only the outermost commits. */
    private int depth;

    private SqliteDatabase(String name, Connection db) {
        this.name = name;
        this.db = db;
    }

    /**
     * Opens (creating if needed) the file and brings its schema up to date.
     *
     * @param name how messages name the database: {@code catalog /data/catalog.db}
     * @param migrations migration {@code n} (1-based) takes {@code PRAGMA user_version} from {@code n - 1}
     *        to {@code n}; released migrations are never edited
     * @throws CatalogException the file cannot be opened, or holds a schema newer than {@code migrations}
     */
    static SqliteDatabase open(Path file, String name, List<List<String>> migrations) {
        return open(file, name, migrations, Map.of());
    }

    /** As {@link #open(Path, String, List)}, running {@code steps} after the SQL of their versions. */
    static SqliteDatabase open(
            Path file, String name, List<List<String>> migrations, Map<Integer, MigrationStep> steps) {
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
            SqliteDatabase database = new SqliteDatabase(name, db);
            database.migrate(migrations, steps);
            return database;
        } catch (SQLException | IOException e) {
            closeQuietly(db);
            throw new CatalogException("cannot open " + name + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(db);
            throw e;
        }
    }

    /** The schema version of the open file ({@code PRAGMA user_version}). */
    @Override
    public int schemaVersion() {
        return read(SqliteDatabase::userVersion);
    }

    /** Runs {@code work} under the lock, without a transaction of its own: one statement is atomic alone. */
    @Override
    public <T, X extends Exception> T read(Work<T, X> work) throws X {
        lock.lock();
        try {
            return work.run(db);
        } catch (SQLException e) {
            throw failed(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws anything.
     * Inside another {@code write} on the same thread it is part of that one.
     */
    @Override
    public <T, X extends Exception> T write(Work<T, X> work) throws X {
        lock.lock();
        try {
            if (depth > 0) {
                depth++;
                try {
                    return work.run(db);
                } finally {
                    depth--;
                }
            }
            db.setAutoCommit(false);
            depth = 1;
            try {
                T result = work.run(db);
                db.commit();
                return result;
            } catch (Exception e) {
                rollback(e);
                throw e;
            } finally {
                depth = 0;
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failed(e);
        } finally {
            lock.unlock();
        }
    }

    private void rollback(Exception cause) {
        try {
            db.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private CatalogException failed(SQLException e) {
        return new CatalogException(name + ": " + e.getMessage(), e);
    }

    private void migrate(List<List<String>> migrations, Map<Integer, MigrationStep> steps) {
        write(db -> {
            int version = userVersion(db);
            int latest = migrations.size();
            if (version > latest) {
                throw new CatalogException(name + " has schema version " + version + ", newer than this program's "
                        + latest + "; run a newer backup-server");
            }
            for (int v = version + 1; v <= latest; v++) {
                try (Statement s = db.createStatement()) {
                    for (String sql : migrations.get(v - 1)) {
                        s.execute(sql);
                    }
                    MigrationStep step = steps.get(v);
                    if (step != null) {
                        step.apply(db);
                    }
                    s.execute("PRAGMA user_version = " + v);
                }
                LOG.log(System.Logger.Level.INFO, "{0}: migrated schema to version {1}", name, v);
            }
            return null;
        });
    }

    private static int userVersion(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            db.close();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "closing {0}: {1}", name, e.getMessage());
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
