package org.clusterbackup.core.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Archive files in use by readers on any server of a shared data dir. A reader holds a shared lock on one
 * byte of the file, far beyond its end, for as long as its channel is open; deleting takes the whole file
 * exclusively first and leaves a file it cannot lock. On a local file system an open file outlives its
 * name anyway; on a network file system a file deleted under another host's reader is gone for it
 * ({@code ESTALE}), so retention must wait for the read to end.
 *
 * <p>Java keeps one table of file locks per process and refuses overlapping locks inside it, even shared
 * ones: each reader of this process locks a byte of its own, so readers never overlap each other, while
 * the deleter's whole-file lock overlaps every one of them.
 */
final class ReadLocks {
    /** Where readers' bytes start: beyond any archive, so a lock never touches content. */
    private static final long REGIONS_FROM = Long.MAX_VALUE / 2;

    private static final AtomicLong NEXT = new AtomicLong();

    private ReadLocks() {}

    /**
     * Opens {@code file} for reading, marked as read until the channel closes.
     *
     * @throws NoSuchFileException the file is gone, or being deleted by retention right now
     */
    static FileChannel open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            FileLock lock = channel.tryLock(REGIONS_FROM + NEXT.incrementAndGet(), 1, true);
            if (lock == null) {
                throw new NoSuchFileException(file.toString(), null, "being deleted by retention");
            }
            return channel; // the lock goes with the channel
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new NoSuchFileException(file.toString(), null, "being deleted by retention");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Deletes {@code file} unless a reader has it open; the lock is held across the deletion, so no reader
     * opens it in between.
     *
     * @return whether the file is gone (deleted now, or already)
     */
    static boolean deleteUnlessRead(Path file) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return true;
        }
        try (channel) {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, false);
            if (lock == null) {
                return false;
            }
            try (lock) {
                Files.deleteIfExists(file);
                return true;
            }
        } catch (OverlappingFileLockException e) {
            return false; // a reader in this process
        }
    }
}
