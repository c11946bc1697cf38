package org.clusterbackup.core.index;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes an {@code .idx} file as records arrive, so nothing of the index is held in memory; {@link #finish}
 * ends it with the SHA-256 of everything before, forces it to disk and returns that SHA-256 (the catalog
 * records it, so an index is trusted only beside the archive row it was written for).
 */
final class IndexFileWriter implements AutoCloseable {
    private final FileChannel channel;
    private final MessageDigest sha256;
    private final DataOutputStream out;
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
        out = new DataOutputStream(
                new DigestOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024), sha256));
        out.write(IndexFormat.MAGIC);
        out.writeShort(IndexFormat.VERSION);
        out.writeShort(0);
    }

    void segment(IndexSegment s) throws IOException {
        out.writeByte(IndexFormat.SEGMENT);
        out.writeLong(s.tarOffset());
        out.writeInt((int) s.tarLength());
        out.writeLong(s.gzOffset());
        out.writeInt((int) s.gzLength());
        out.writeInt((int) s.crc32());
        segments++;
    }

    void entry(IndexEntry e) throws IOException {
        out.writeByte(IndexFormat.ENTRY);
        out.writeByte(e.kind().code());
        out.writeShort(e.mode());
        out.writeLong(e.uid());
        out.writeLong(e.gid());
        out.writeLong(e.mtimeSeconds());
        out.writeInt(e.mtimeNanos());
        out.writeLong(e.size());
        out.writeLong(e.headerOffset());
        out.writeLong(e.dataOffset());
        if (e.kind() == EntryKind.FILE) {
            out.write(HexFormat.of().parseHex(e.sha256()));
        }
        string(e.path());
        if (e.linkTarget() != null) {
            string(e.linkTarget());
        }
        int flags = (e.xattrs() != null ? IndexFormat.FLAG_XATTRS : 0) | (e.sparse() ? IndexFormat.FLAG_SPARSE : 0);
        out.writeByte(flags);
        if (e.xattrs() != null) {
            out.write(HexFormat.of().parseHex(e.xattrs()));
        }
        if (e.sparse()) {
            out.writeLong(e.dataLength());
        }
        entries++;
    }

    /** @return lowercase hex SHA-256 of the file's body, which is also its last 32 bytes */
    String finish(long tarLength, long gzLength) throws IOException {
        out.writeByte(IndexFormat.END);
        out.writeLong(segments);
        out.writeLong(entries);
        out.writeLong(tarLength);
        out.writeLong(gzLength);
        out.flush();
        byte[] digest = sha256.digest();
        out.write(digest); // after digest(): the trailer is not part of what it covers
        out.flush();
        channel.force(true);
        return HexFormat.of().formatHex(digest);
    }

    private void string(String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
