package org.clusterbackup.core.fs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file replaced so that a crash or a power cut leaves its old content or its new, never half of it: the
 * bytes go to a temp file beside it ({@code .NAME.<random><suffix>}), are forced to disk, the temp file is
 * renamed over the file, and the directory is forced so the rename itself is durable. {@link #close()}
 * without {@link #commit()} deletes the temp file.
 *
 * <p>Small files are written in one call with {@link #replace}; a large one (a download) is streamed into
 * {@link #channel()} and committed when complete.
 */
public final class AtomicFile implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AtomicFile.class.getName());
    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final Path temp;
    private final FileChannel channel;
    private final Sync sync;
    private boolean committed;

    /** Makes what was written through a channel, a file's or a directory's, durable. A seam for tests. */
    @FunctionalInterface
    public interface Sync {
        Sync FORCE = channel -> channel.force(true);

        void force(FileChannel channel) throws IOException;
    }

    /** Writes the new content of a file. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFile(Path file, Path temp, FileChannel channel, Sync sync) {
        this.file = file;
        this.temp = temp;
        this.channel = channel;
        this.sync = sync;
    }

    /**
     * Opens a temp file in {@code file}'s directory (a rename within one file system is atomic), which must
     * exist.
     *
     * @param suffix ends the temp file's name ({@code .partial}, {@code .tmp})
     * @param attributes of the temp file from its creation, such as owner-only permissions
     */
    public static AtomicFile beside(Path file, String suffix, Sync sync, FileAttribute<?>... attributes)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(String.valueOf(dir), null, "no such directory");
        }
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", suffix, attributes);
        try {
            return new AtomicFile(file, temp, FileChannel.open(temp, StandardOpenOption.WRITE), sync);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /** Replaces {@code file} with what {@code body} writes, creating its directory if need be. */
    public static void replace(Path file, Body body, FileAttribute<?>... attributes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (AtomicFile f = beside(file, ".tmp", Sync.FORCE, attributes)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(f.channel), BUFFER);
            body.write(out);
            out.flush();
            f.commit();
        }
    }

    /** As {@link #replace}, the file readable and writable by its owner alone from its first byte. */
    public static void replaceOwnerOnly(Path file, Body body) throws IOException {
        replace(file, body, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /** Where the new content goes; {@link #commit()} forces and closes it. */
    public FileChannel channel() {
        return channel;
    }

    /**
     * Forces the bytes to disk, renames the temp file over the file (replacing what was there) and forces the
     * directory, so the rename survives a crash.
     */
    public void commit() throws IOException {
        sync.force(channel);
        channel.close();
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("this file system cannot rename atomically: " + file, e);
        }
        committed = true;
        syncDirectory(temp.getParent(), sync);
    }

    /**
     * Forces a directory, which makes renames and creations in it survive a power cut (on Linux a directory
     * opened for reading can be forced).
     */
    public static void syncDirectory(Path dir, Sync sync) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            sync.force(d);
        }
    }

    /** Deletes the temp file unless it was committed. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing " + temp + " failed", e);
        }
        deleteQuietly(temp);
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // The failure that got us here is what the caller must hear about; the stray file is logged.
            LOG.log(Level.WARNING, "cannot delete the unfinished file " + temp + ": " + e.getMessage());
        }
    }
}
