package org.clusterbackup.core.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Holds an exclusive lock on {@code DATA_DIR/server.lock} while a server runs, so that two servers never
 * share one catalog and store (each would sweep the other's temp files as orphans). The OS releases the
 * lock when the process dies, so a crash never leaves a stale lock behind.
 */
final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock acquire(Path dataDir) throws IOException {
        Path file = dataDir.resolve("server.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException("data dir " + dataDir + " is in use by another backup-server");
            }
            return new DataDirLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IOException("data dir " + dataDir + " is in use by another server in this process", e);
        } catch (IOException e) {
            channel.close();
            throw e;
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
