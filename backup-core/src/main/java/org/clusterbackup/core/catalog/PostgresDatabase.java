package org.clusterbackup.core.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A PostgreSQL database that several servers share, reached through a HikariCP pool. A {@link #write}
 * holds one pooled connection for its transaction, bound to the calling thread so that the per-table
 * calls inside it (and inside {@link Catalog#inTransaction}) join it; other threads write in parallel on
 * other connections, and PostgreSQL's row locks order what they touch.
 *
 * <p>The catalog and the security store share one pool ({@link #share}); it closes with the last of them.
 */
final class PostgresDatabase implements Database {
    private static final System.Logger LOG = System.getLogger(PostgresDatabase.class.getName());

    /**
     * Runs while the migration lock is held, with the version found, before migrating: a seam for the test
     * of two servers starting together.
     */
    @FunctionalInterface
    interface MigrationHook {
        MigrationHook NONE = found -> {};

        void locked(int versionFound) throws InterruptedException;
    }

    private final String name;
    private final HikariDataSource pool;
    private final ThreadLocal<Connection> transaction = new ThreadLocal<>();
    private final AtomicInteger users = new AtomicInteger(1);

    private PostgresDatabase(String name, HikariDataSource pool) {
        this.name = name;
        this.pool = pool;
    }

    /**
     * Connects and brings the schema up to date under the migration lock.
     *
     * @throws CatalogException the database cannot be reached or logged into, or holds a newer schema
     */
    static PostgresDatabase open(PostgresLocation location, List<List<String>> migrations, MigrationHook hook) {
        return open(location, migrations, PostgresSchema.STEPS, hook);
    }

    /** As {@link #open(PostgresLocation, List, MigrationHook)}, running {@code steps} after their versions' SQL. */
    static PostgresDatabase open(
            PostgresLocation location,
            List<List<String>> migrations,
            Map<Integer, MigrationStep> steps,
            MigrationHook hook) {
        String name = "catalog " + location.displayUrl();
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config(location));
        } catch (RuntimeException e) {
            // Hikari's PoolInitializationException wraps the driver's reason (refused, bad password, no database).
            throw new CatalogException("cannot open " + name + ": " + rootMessage(e), e);
        }
        PostgresDatabase database = new PostgresDatabase(name, pool);
        try {
            new PostgresMigrations(database, name, migrations, steps, hook).migrate();
            return database;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static HikariConfig config(PostgresLocation location) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("backup-catalog");
        config.setJdbcUrl(location.url());
        config.setUsername(location.user());
        config.setPassword(location.password());
        // A server makes a few small statements per run; a handful of connections serves its runs and
        // requests without taking many of the database's connection slots from the other servers.
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(10_000);
        return config;
    }

    /** One more user of this pool (the security store beside the catalog); each user closes it once. */
    PostgresDatabase share() {
        users.incrementAndGet();
        return this;
    }

    @Override
    public <T, X extends Exception> T read(Work<T, X> work) throws X {
        Connection joined = transaction.get();
        try {
            if (joined != null) {
                return work.run(joined);
            }
            try (Connection db = pool.getConnection()) {
                return work.run(db);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public <T, X extends Exception> T write(Work<T, X> work) throws X {
        Connection joined = transaction.get();
        try {
            if (joined != null) {
                return work.run(joined);
            }
            try (Connection db = pool.getConnection()) {
                db.setAutoCommit(false);
                transaction.set(db);
                try {
                    T result = work.run(db);
                    db.commit();
                    return result;
                } catch (Exception e) {
                    rollback(db, e);
                    throw e;
                } finally {
                    transaction.remove();
                    // The pool resets auto-commit too; setting it here keeps the connection clean if it does not.
                    db.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int schemaVersion() {
        return read(PostgresMigrations::version);
    }

    private static void rollback(Connection db, Exception cause) {
        try {
            db.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    CatalogException failed(SQLException e) {
        return new CatalogException(name + ": " + e.getMessage(), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    @Override
    public void close() {
        if (users.decrementAndGet() == 0) {
            pool.close();
            LOG.log(System.Logger.Level.DEBUG, "{0}: closed", name);
        }
    }
}
