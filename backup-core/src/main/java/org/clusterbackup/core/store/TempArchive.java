package org.clusterbackup.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.clusterbackup.core.fs.WriteBehind;

/**
 * An archive being received: bytes go to disk as they arrive while their size and SHA-256 are counted, so
 * the check against the agent's {@code ArchiveEnd} needs no second read. Its index is written beside it,
 * to {@link #indexFile()}, and the two are placed together. Closing a temp archive that was not placed
 * deletes both: a failed run leaves no file behind.
 */
public final class TempArchive implements AutoCloseable {
    private final Path file;
    private final Path indexFile;
    private final FileChannel channel;
    private final ArchiveStore.WriteHook hook;
    private final MessageDigest sha256;
    private final WriteBehind behind;
    private long size;
    private boolean placed;

    TempArchive(Path file, Path indexFile, FileChannel channel, ArchiveStore.WriteHook hook) {
        this.file = file;
        this.indexFile = indexFile;
        this.channel = channel;
        this.hook = hook;
        this.behind = new WriteBehind(channel);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public void write(byte[] bytes) throws IOException {
        hook.beforeWrite(file, size, bytes.length);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        sha256.update(bytes);
        size += bytes.length;
        behind.wrote(bytes.length);
    }

    public long size() {
        return size;
    }

    /** Lowercase hex SHA-256 of everything written; call once, at the end. */
    public String sha256() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    /**
     * Makes the content durable before the rename makes it visible. Most of it already is: the file is forced
     * behind its writes as it grows ({@link WriteBehind}), and a failure there fails this force.
     */
    public void force() throws IOException {
        behind.force();
    }

    public Path file() {
        return file;
    }

    /** Where the index of this archive is written while it arrives; placed with the archive. */
    public Path indexFile() {
        return indexFile;
    }

    void placed() {
        placed = true;
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (!placed) {
                try {
                    Files.deleteIfExists(file);
                } finally {
                    Files.deleteIfExists(indexFile);
                }
            }
        }
    }
}
