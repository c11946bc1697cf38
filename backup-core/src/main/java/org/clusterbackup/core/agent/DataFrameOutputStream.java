package org.clusterbackup.core.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ProtocolLimits;

/**
 * The archive writer's output: bytes are cut into {@link Data} frames of {@link ProtocolLimits#DATA_CHUNK}
 * and sent as they are produced, while their count and SHA-256 are taken for {@code ArchiveEnd}. Sending
 * blocks when the network is slower than compression, so memory stays at a few chunks whatever the size.
 */
final class DataFrameOutputStream extends OutputStream {
    private final Connection connection;
    private final MessageDigest sha256;
    private final byte[] chunk = new byte[ProtocolLimits.DATA_CHUNK];
    private int filled;
    private long size;

    DataFrameOutputStream(Connection connection) {
        this.connection = connection;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        chunk[filled++] = (byte) b;
        if (filled == chunk.length) {
            sendChunk();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, chunk.length - filled);
            System.arraycopy(b, off, chunk, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == chunk.length) {
                sendChunk();
            }
        }
    }

    /** Sends what is buffered; the archive writer's own flushes do not cut frames smaller than needed. */
    @Override
    public void close() throws IOException {
        if (filled > 0) {
            sendChunk();
        }
    }

    private void sendChunk() throws IOException {
        byte[] bytes = Arrays.copyOf(chunk, filled);
        sha256.update(bytes);
        size += filled;
        filled = 0;
        connection.send(new Data(bytes));
    }

    long size() {
        return size;
    }

    String sha256() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
