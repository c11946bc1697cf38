package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A SQL database the catalog's tables run on: one SQLite file ({@link SqliteDatabase}) or a PostgreSQL
 * database several servers share ({@link PostgresDatabase}). The tables' SQL is the subset both engines
 * run the same way, so each table is written once.
 *
 * <p>{@link #write} is a transaction; a {@code write} inside another one on the same thread joins it, so
 * operations that span tables compose from the per-table ones and commit or roll back as one. A
 * {@link #read} inside a {@code write} sees what that write has done so far.
 */
interface Database extends AutoCloseable {
    /** Work on a connection; {@code X} is the checked exception of the caller's own (e.g. a file move). */
    @FunctionalInterface
    interface Work<T, X extends Exception> {
        T run(Connection db) throws SQLException, X;
    }

    /** Runs {@code work} without a transaction of its own: one statement is atomic alone. */
    <T, X extends Exception> T read(Work<T, X> work) throws X;

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws anything. */
    <T, X extends Exception> T write(Work<T, X> work) throws X;

    /** The version of the schema the database holds. */
    int schemaVersion();

    @Override
    void close();
}
