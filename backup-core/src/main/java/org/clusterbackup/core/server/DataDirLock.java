package org.clusterbackup.core.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.clusterbackup.core.store.SharedSweep;
import org.clusterbackup.core.store.TempOwner;

/**
 * The lock a running server holds on its data dir; the OS releases it when the process dies, so a crash
 * never leaves a stale lock behind.
 *
 * <ul>
 *   <li>A server alone on its data dir (SQLite catalog) holds {@code DATA_DIR/server.lock} exclusively: a
 *       second server on that data dir is refused, as is one on a data dir a cluster uses or used (a lone
 *       server would sweep the cluster's archives as orphans of its own catalog).</li>
 *   <li>A server of a cluster (PostgreSQL catalog) holds {@code DATA_DIR/locks/<name>.lock}: servers with
 *       other names share the data dir; a second one with the same name is refused, and so is a data dir
 *       that holds a lone server's SQLite catalog (the two catalogs' target ids would name the same
 *       directories). That lock is also how
 *       the others know it is alive: its temp files are swept only while nobody holds it
 *       ({@link #whileStopped}).</li>
 * </ul>
 *
 * <p>Probes of another server's lock take it shared, briefly, so two probes never see each other as a
 * holder. Java keeps one table of file locks per process and refuses overlapping locks inside it, so probes
 * are serialized within the process, and a lock this process holds already counts as held.
 */
final class DataDirLock implements AutoCloseable {
    static final String LONE = "server.lock";
    static final String LOCKS = "locks";
    private static final String SQLITE_CATALOG = "catalog.db";
    private static final Object PROBES = new Object();

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock of a server alone on its data dir. */
    static DataDirLock acquire(Path dataDir) throws IOException {
        DataDirLock lock = take(dataDir.resolve(LONE), "data dir " + dataDir + " is in use by another backup-server");
        // The lone server's lock is taken first and the cluster's dir checked after, and the other way round
        // for a cluster server: when both start at once, at least one of them sees the other.
        try {
            Path locks = dataDir.resolve(LOCKS);
            if (Files.isDirectory(locks)) {
                // Running or not: a lone server would take the cluster's archives for orphans of its catalog.
                try (DirectoryStream<Path> files = Files.newDirectoryStream(locks, "*.lock")) {
                    java.util.Iterator<Path> any = files.iterator();
                    if (any.hasNext()) {
                        throw new IOException(
                                "data dir " + dataDir + " belongs to a cluster of backup-servers (" + LOCKS + "/"
                                        + any.next().getFileName() + "); a server without --catalog cannot use it");
                    }
                }
            }
            return lock;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The lock of the server named {@code name} in a cluster that shares the data dir. */
    static DataDirLock acquire(Path dataDir, TempOwner name) throws IOException {
        Path file = Files.createDirectories(dataDir.resolve(LOCKS)).resolve(name.fileName() + ".lock");
        DataDirLock lock = take(
                file,
                "data dir " + dataDir + " is in use by another backup-server named '" + name.name()
                        + "'; give each server of the cluster its own --name");
        try {
            // Running or not: target ids of the two catalogs would name the same directories.
            if (held(dataDir.resolve(LONE)) || Files.exists(dataDir.resolve(SQLITE_CATALOG))) {
                throw new IOException("data dir " + dataDir + " belongs to a backup-server without --catalog ("
                        + SQLITE_CATALOG + "); a cluster needs a data dir of its own");
            }
            return lock;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Runs {@code work} if the server whose name is written {@code ownerFileName} in file names is not
     * running on this data dir, holding its lock shared meanwhile so that it cannot start (and write new
     * temp files) before {@code work} is done.
     *
     * @return whether the server was stopped and {@code work} ran
     */
    static boolean whileStopped(Path dataDir, String ownerFileName, SharedSweep.Work work) throws IOException {
        Path file = dataDir.resolve(LOCKS).resolve(ownerFileName + ".lock");
        if (!Files.exists(file)) {
            work.run(); // never started here with this version: nothing of it can be running
            return true;
        }
        synchronized (PROBES) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                FileLock shared = ch.tryLock(0, Long.MAX_VALUE, true);
                if (shared == null) {
                    return false;
                }
                try (shared) {
                    work.run();
                    return true;
                }
            } catch (OverlappingFileLockException e) {
                return false; // held by a server in this process
            }
        }
    }

    private static boolean held(Path file) throws IOException {
        synchronized (PROBES) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                FileLock shared = ch.tryLock(0, Long.MAX_VALUE, true);
                if (shared == null) {
                    return true;
                }
                shared.release();
                return false;
            } catch (java.nio.file.NoSuchFileException e) {
                return false;
            } catch (OverlappingFileLockException e) {
                return true;
            }
        }
    }

    private static DataDirLock take(Path file, String inUse) throws IOException {
        synchronized (PROBES) {
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            try {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    throw new IOException(inUse);
                }
                return new DataDirLock(channel, lock);
            } catch (OverlappingFileLockException e) {
                channel.close();
                throw new IOException(inUse + " (in this process)", e);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
