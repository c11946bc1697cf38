package org.clusterbackup.core.archive;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.clusterbackup.core.delta.BlockSink;
import org.clusterbackup.core.delta.BlockSizes;

/**
 * The signatures of the files a run reads, written as they are read to a temp file beside the store, for
 * {@link SignatureStore#commit} to keep. Memory is one block per file being read and 16 bytes per file
 * recorded. Closing it deletes the temp file. Not thread-safe: one per write.
 */
public final class SignatureRecorder implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private static final System.Logger LOG = System.getLogger(SignatureRecorder.class.getName());

    private final Guard guard;
    private final CountingOutputStream counted;
    private final DataOutputStream out;
    private final SignatureRecords.KeyIndex index = new SignatureRecords.KeyIndex();
    private long recordStart = -1;
    private SignatureRecords.Writer writer;

    SignatureRecorder(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.guard = new Guard(new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024));
        this.counted = new CountingOutputStream(guard);
        this.out = new DataOutputStream(counted);
    }

    /** True once writing the run's file failed: the run keeps no new signatures. */
    boolean failed() {
        return guard.failure != null;
    }

    IOException failure() {
        return guard.failure;
    }

    /**
     * Keeps a failing state disk from failing the backup: the first write error is kept and every later write
     * is dropped. Only a saving is lost (the next run sends changed files whole).
     */
    private static final class Guard extends FilterOutputStream {
        IOException failure;

        Guard(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (failure == null) {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    failure = e;
                    LOG.log(
                            Level.WARNING,
                            "block signatures cannot be written, none are kept this run: {0}",
                            e.toString());
                }
            }
        }

        @Override
        public void flush() {
            if (failure == null) {
                try {
                    out.flush();
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
    }

    /**
     * A file of {@code size} bytes is being read: the returned sink takes its signature's blocks, in order
     * (null if a file that small gets no signature). A record begun and not {@linkplain #end ended} is never
     * used.
     */
    BlockSink begin(long size) throws IOException {
        writer = null;
        if (!BlockSizes.signed(size)) {
            return null;
        }
        recordStart = counted.count();
        out.writeLong(size);
        writer = new SignatureRecords.Writer(out);
        return writer;
    }

    /** The file begun last was read whole, with this SHA-256 (lowercase hex), and its blocks given: kept. */
    void end(String sha256) throws IOException {
        if (writer == null) {
            return;
        }
        writer.finish();
        long key = SignatureRecords.key(sha256);
        out.writeLong(key);
        index.add(key, recordStart);
        writer = null;
    }

    /** The record of {@code key}, or -1 (the run's file is flushed first, so the record can be read). */
    long find(long key) throws IOException {
        out.flush();
        return failed() ? -1 : index.find(key);
    }

    FileChannel channel() {
        return channel;
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
