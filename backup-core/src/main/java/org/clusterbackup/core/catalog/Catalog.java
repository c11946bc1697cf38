package org.clusterbackup.core.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The server's registry and history: targets, the execution log and the stored archives. Every method is
 * one transaction and callers never see SQL; work that spans several methods and must commit or fail as
 * one goes through {@link #inTransaction}.
 *
 * <p>{@link #open} gives the SQLite catalog, one file in the data dir. Another database (a PostgreSQL
 * catalog shared by several servers) implements this interface; nothing outside this package names an
 * implementation.
 */
public interface Catalog extends TargetRegistry, ExecutionLog, ArchiveCatalog, AutoCloseable {
    /**
     * Opens (creating if needed) the SQLite catalog file and brings its schema up to date.
     *
     * @throws CatalogException the file cannot be opened, or holds a schema newer than this program
     */
    static Catalog open(Path file, Clock clock) {
        return SqliteCatalog.open(file, clock);
    }

    /** The version of the schema the catalog holds; the latest this program knows once opened. */
    int schemaVersion();

    /**
     * Records a stored archive and completes its execution, in one transaction. {@code placer} moves the
     * verified file to its final name inside the transaction; if it fails, nothing is recorded.
     *
     * @param transfer how the archive came: {@link Execution#FULL} or {@link Execution#DELTA}
     * @throws IOException from {@code placer}; nothing was recorded
     */
    Execution finishStored(
            long executionId,
            NewArchive archive,
            long bytesReceived,
            List<String> warnings,
            String transfer,
            ArchivePlacer placer)
            throws IOException;

    /**
     * Runs {@code work} as one transaction: every catalog call it makes commits when it returns, or none
     * does when it throws. Other callers wait until it ends, so keep it short and free of network I/O.
     */
    <T, X extends Exception> T inTransaction(Transaction<T, X> work) throws X;

    /** Work on the catalog that commits or fails as one; {@code X} is the caller's own checked exception. */
    @FunctionalInterface
    interface Transaction<T, X extends Exception> {
        T run(Catalog catalog) throws X;
    }

    @Override
    void close();
}
