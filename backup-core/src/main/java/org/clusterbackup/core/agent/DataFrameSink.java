package org.clusterbackup.core.agent;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.clusterbackup.core.archive.ArchiveSink;
import org.clusterbackup.core.archive.CompressedSegment;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.Segment;

/**
 * The archive writer's output on the wire (see {@link Segment}): the gzip header in one {@link Data} frame;
 * per segment a {@link Segment} message, then its deflate data in {@code Data} frames of at most
 * {@link org.clusterbackup.core.protocol.ProtocolLimits#DATA_CHUNK} bytes (a frame never straddles two
 * segments); the tail in one {@code Data} frame. Every {@code Data} byte is counted and hashed for
 * {@code ArchiveEnd}. Sending blocks when the network is slower than compression, which stops the archive
 * writer, so memory stays bounded whatever the size.
 */
final class DataFrameSink implements ArchiveSink {
    private final Connection connection;
    private final MessageDigest sha256;
    private long size;

    DataFrameSink(Connection connection) {
        this.connection = connection;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void header(byte[] header) throws IOException {
        send(header);
    }

    @Override
    public void segment(CompressedSegment segment) throws IOException {
        connection.send(new Segment(segment.tarLength(), segment.gzLength(), segment.crc32()));
        for (byte[] chunk : segment.chunks()) {
            // A segment's chunks are never reused, so they can go out as they are (64 KiB, the frame size).
            for (int at = 0; at < chunk.length; at += ProtocolLimits.DATA_CHUNK) {
                int n = Math.min(ProtocolLimits.DATA_CHUNK, chunk.length - at);
                send(n == chunk.length ? chunk : Arrays.copyOfRange(chunk, at, at + n));
            }
        }
    }

    @Override
    public void tail(byte[] tail) throws IOException {
        send(tail);
    }

    private void send(byte[] bytes) throws IOException {
        sha256.update(bytes);
        size += bytes.length;
        connection.send(new Data(bytes));
    }

    long size() {
        return size;
    }

    String sha256() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
