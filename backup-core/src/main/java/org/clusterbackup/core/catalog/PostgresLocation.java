package org.clusterbackup.core.catalog;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * A PostgreSQL catalog shared by several servers: the catalog's tables and the security store in one
 * database. The password comes from the environment, never the command line, and never appears in
 * {@link #toString} or a message.
 *
 * @param url {@code jdbc:postgresql://HOST:PORT/DB}, optionally with driver parameters after {@code ?}
 * @param user the database role the server logs in as
 * @param password its password, or null where the database needs none (trust, a {@code .pgpass} file)
 */
public record PostgresLocation(String url, String user, String password) implements CatalogLocation {
    public static final String URL_PREFIX = "jdbc:postgresql://";

    public PostgresLocation {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith(URL_PREFIX) || url.length() == URL_PREFIX.length()) {
            throw new IllegalArgumentException(
                    "a PostgreSQL catalog is a " + URL_PREFIX + "HOST:PORT/DB URL, was " + displayUrl(url));
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("a PostgreSQL catalog needs a user");
        }
    }

    @Override
    public Catalogs open(Path dataDir, Clock clock) {
        return PostgresCatalogs.open(this, clock, PostgresDatabase.MigrationHook.NONE);
    }

    /** The URL without its parameters, which may carry credentials: how messages name the database. */
    public String displayUrl() {
        return displayUrl(url);
    }

    private static String displayUrl(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    @Override
    public String toString() {
        return "PostgresLocation[" + displayUrl() + ", user " + user + "]";
    }
}
