package org.clusterbackup.core.client;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Path;
import org.clusterbackup.core.fs.AtomicFile;

/**
 * A file being written under a temporary name beside its destination ({@code .NAME.*.partial}), so that
 * the destination shows up only complete: {@link #commit()} forces the bytes to disk, renames the file
 * over the destination and forces the directory, so the rename itself survives a crash; {@link #close()}
 * without a commit deletes it. Local failures are
 * {@link LocalWriteException}s, never mistaken for trouble with the server.
 */
final class PartialFile implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final Path destination;
    private final AtomicFile file;
    private final OutputStream out;

    private PartialFile(Path destination, AtomicFile file) {
        this.destination = destination;
        this.file = file;
        this.out =
                new BufferedOutputStream(new Unchecked(Channels.newOutputStream(file.channel()), destination), BUFFER);
    }

    /** Creates the temporary file in the destination's directory: a rename within one file system is atomic. */
    static PartialFile beside(Path destination) throws LocalWriteException {
        return beside(destination, AtomicFile.Sync.FORCE);
    }

    /** As {@link #beside(Path)}, with a seam that sees every sync (the file's, then its directory's). */
    static PartialFile beside(Path destination, AtomicFile.Sync sync) throws LocalWriteException {
        try {
            return new PartialFile(destination, AtomicFile.beside(destination, ".partial", sync));
        } catch (IOException e) {
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
            file.commit();
        } catch (LocalFailure e) {
            throw new LocalWriteException(destination, e.getCause());
        } catch (IOException e) {
            throw new LocalWriteException(destination, e);
        }
    }

    /** Deletes the temporary file unless it was committed. */
    @Override
    public void close() {
        file.close();
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
