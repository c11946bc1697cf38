package org.clusterbackup.core.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.clusterbackup.core.archive.Hex;

/**
 * Writes an {@code .idx} file as records arrive, so nothing of the index is held in memory; {@link #finish}
 * ends it with the SHA-256 of everything before, forces it to disk and returns that SHA-256 (the catalog
 * records it, so an index is trusted only beside the archive row it was written for).
 *
 * <p>Records are encoded straight into one buffer, big-endian, and the buffer is hashed and written when it
 * fills: a record is a few array stores, not a call per field through a stream, a digest and a buffer (this
 * runs for every entry of every archive received or synthesized, and the JIT compiled each of those calls'
 * whole chain into the method).
 */
final class IndexFileWriter implements AutoCloseable {
    /** An entry record's bytes besides its names (at most 159: every field, option and length). */
    private static final int FIXED = 256;

    private final FileChannel channel;
    private final MessageDigest sha256;
    private final byte[] buffer = new byte[2 * IndexFormat.MAX_NAME + FIXED + 64 * 1024];
    private int filled;
    private long segments;
    private long entries;

    IndexFileWriter(Path file) throws IOException {
        channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        System.arraycopy(IndexFormat.MAGIC, 0, buffer, 0, IndexFormat.MAGIC.length);
        filled = IndexFormat.MAGIC.length;
        u16(IndexFormat.VERSION);
        u16(0);
    }

    void segment(IndexSegment s) throws IOException {
        room(1 + 8 + 4 + 8 + 4 + 4);
        u8(IndexFormat.SEGMENT);
        i64(s.tarOffset());
        i32((int) s.tarLength());
        i64(s.gzOffset());
        i32((int) s.gzLength());
        i32((int) s.crc32());
        segments++;
    }

    void entry(IndexEntry e) throws IOException {
        byte[] path = e.path().getBytes(StandardCharsets.UTF_8);
        byte[] link = e.linkTarget() == null ? null : e.linkTarget().getBytes(StandardCharsets.UTF_8);
        if (path.length > IndexFormat.MAX_NAME || link != null && link.length > IndexFormat.MAX_NAME) {
            throw new IllegalArgumentException("a name longer than an index holds: " + e.path());
        }
        room(FIXED + path.length + (link == null ? 0 : link.length));
        u8(IndexFormat.ENTRY);
        u8(e.kind().code());
        u16(e.mode());
        i64(e.uid());
        i64(e.gid());
        i64(e.mtimeSeconds());
        i32(e.mtimeNanos());
        i64(e.size());
        i64(e.headerOffset());
        i64(e.dataOffset());
        if (e.kind() == EntryKind.FILE) {
            digest(e.sha256());
        }
        string(path);
        if (link != null) {
            string(link);
        }
        u8((e.xattrs() != null ? IndexFormat.FLAG_XATTRS : 0) | (e.sparse() ? IndexFormat.FLAG_SPARSE : 0));
        if (e.xattrs() != null) {
            digest(e.xattrs());
        }
        if (e.sparse()) {
            i64(e.dataLength());
        }
        entries++;
    }

    /** @return lowercase hex SHA-256 of the file's body, which is also its last 32 bytes */
    String finish(long tarLength, long gzLength) throws IOException {
        room(1 + 4 * 8);
        u8(IndexFormat.END);
        i64(segments);
        i64(entries);
        i64(tarLength);
        i64(gzLength);
        flush();
        byte[] digest = sha256.digest(); // the trailer is not part of what it covers
        channel.write(ByteBuffer.wrap(digest));
        channel.force(true);
        return Hex.format(digest);
    }

    /** A SHA-256 given as 64 hex digits, as its 32 bytes. */
    private void digest(String hex) {
        if (hex.length() != 64) {
            throw new IllegalArgumentException("a digest of " + hex.length() + " hex digits, not 64: " + hex);
        }
        filled += Hex.decode(hex, buffer, filled);
    }

    private void string(byte[] bytes) {
        i32(bytes.length);
        System.arraycopy(bytes, 0, buffer, filled, bytes.length);
        filled += bytes.length;
    }

    private void u8(int v) {
        buffer[filled++] = (byte) v;
    }

    private void u16(int v) {
        buffer[filled++] = (byte) (v >>> 8);
        buffer[filled++] = (byte) v;
    }

    private void i32(int v) {
        u16(v >>> 16);
        u16(v);
    }

    private void i64(long v) {
        i32((int) (v >>> 32));
        i32((int) v);
    }

    /** Makes room for {@code n} more bytes in the buffer, writing it out if needed. */
    private void room(int n) throws IOException {
        if (buffer.length - filled < n) {
            flush();
        }
    }

    private void flush() throws IOException {
        sha256.update(buffer, 0, filled);
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, filled);
        while (b.hasRemaining()) {
            channel.write(b);
        }
        filled = 0;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
