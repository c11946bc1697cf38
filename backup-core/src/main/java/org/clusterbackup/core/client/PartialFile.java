package org.clusterbackup.core.client;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file being written under a temporary name beside its destination ({@code .NAME.*.partial}), so that
 * the destination shows up only complete: {@link #commit()} forces the bytes to disk, renames the file
 * over the destination and forces the directory, so the rename itself survives a crash; {@link #close()}
 * without a commit deletes it. Local failures are
 * {@link LocalWriteException}s, never mistaken for trouble with the server.
 */
final class PartialFile implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PartialFile.class.getName());
    private static final int BUFFER = 64 * 1024;

    private final Path destination;
    private final Path temp;
    private final FileChannel channel;
    private final OutputStream out;
    private final Sync sync;
    private boolean committed;

    /** Makes what was written through a channel durable; a seam to count the calls. */
    @FunctionalInterface
    interface Sync {
        Sync FORCE = channel -> channel.force(true);

        void force(FileChannel channel) throws IOException;
    }

    private PartialFile(Path destination, Path temp, FileChannel channel, Sync sync) {
        this.destination = destination;
        this.temp = temp;
        this.channel = channel;
        this.sync = sync;
        this.out = new BufferedOutputStream(new Unchecked(Channels.newOutputStream(channel), destination), BUFFER);
    }

    /** Creates the temporary file in the destination's directory: a rename within one file system is atomic. */
    static PartialFile beside(Path destination) throws LocalWriteException {
        return beside(destination, Sync.FORCE);
    }

    static PartialFile beside(Path destination, Sync sync) throws LocalWriteException {
        Path dir = destination.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new LocalWriteException(destination, new NoSuchFileException(String.valueOf(dir), null,
                    "no such directory"));
        }
        Path temp;
        try {
            temp = Files.createTempFile(dir, "." + destination.getFileName() + ".", ".partial");
        } catch (IOException e) {
            throw new LocalWriteException(destination, e);
        }
        try {
            return new PartialFile(destination, temp, FileChannel.open(temp, StandardOpenOption.WRITE), sync);
        } catch (IOException e) {
            delete(temp);
            throw new LocalWriteException(destination, e);
        }
    }

    /**
     * Where the bytes go. A write that fails throws {@link LocalFailure}, unchecked: a checked one would
     * pass through the client's I/O path and read as a lost connection to the server.
     */
    OutputStream stream() {
        return out;
    }

    /** Flushes, forces the bytes to disk, and renames the file to its destination, replacing what was there. */
    void commit() throws LocalWriteException {
        try {
            out.flush();
            sync.force(channel);
            channel.close();
            Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            committed = true;
            try (FileChannel dir = FileChannel.open(destination.getParent(), StandardOpenOption.READ)) {
                sync.force(dir);
            }
        } catch (LocalFailure e) {
            throw new LocalWriteException(destination, e.getCause());
        } catch (IOException e) {
            throw new LocalWriteException(destination, e);
        }
    }

    /** Deletes the temporary file unless it was committed. */
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
        delete(temp);
    }

    private static void delete(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // The failure that got us here is what the caller must hear about; the stray file is logged.
            LOG.log(Level.WARNING, "cannot delete the unfinished download " + temp + ": " + e.getMessage());
        }
    }

    /** A local write failure on its way out through code that treats checked I/O errors as network ones. */
    static final class LocalFailure extends UncheckedIOException {
        LocalFailure(Path file, IOException cause) {
            super(file.toString(), cause);
        }
    }

    private static final class Unchecked extends OutputStream {
        private final OutputStream out;
        private final Path file;

        Unchecked(OutputStream out, Path file) {
            this.out = out;
            this.file = file;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new LocalFailure(file, e);
            }
        }
    }
}
