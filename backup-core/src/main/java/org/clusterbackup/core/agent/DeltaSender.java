package org.clusterbackup.core.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.clusterbackup.core.archive.ArchiveSummary;
import org.clusterbackup.core.archive.DeliveredManifests;
import org.clusterbackup.core.archive.PreparedDeltas;
import org.clusterbackup.core.archive.SignatureRecorder;
import org.clusterbackup.core.archive.SignatureStore;
import org.clusterbackup.core.archive.StatCache;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.archive.TreeScan;
import org.clusterbackup.core.delta.BlockStreamWriter;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.protocol.BlocksBegin;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.DeltaBegin;
import org.clusterbackup.core.protocol.DeltaEnd;
import org.clusterbackup.core.protocol.DeltaRemoved;
import org.clusterbackup.core.protocol.ProtocolLimits;

/**
 * Sends a delta (see {@link DeltaBegin}): the tar entries that differ from the base manifest, deflated on the
 * wire at the server's level, then the removed paths in pages, then {@link DeltaEnd} with the new tree's
 * digest. When the server takes block deltas, a changed file whose base version has a kept signature goes
 * as copies of that version and literal bytes instead ({@link BlocksBegin}). Memory is the deflater, one
 * frame and the matcher's buffers, whatever the size of the change.
 */
final class DeltaSender {
    private static final System.Logger LOG = System.getLogger(DeltaSender.class.getName());

    private DeltaSender() {}

    /**
     * @param kept the signatures of the base's files, for a block delta ({@link BlocksBegin}); null for a
     *        delta whose changed files go whole
     * @param signatures gets the signature of every file read, for the next run
     * @param prepared the block deltas the scan worked out, or null
     */
    static ArchiveSummary send(
            Connection connection,
            TreeArchiver archiver,
            TreeScan scan,
            StatCache cache,
            DeliveredManifests.Manifest base,
            int level,
            SignatureStore kept,
            SignatureRecorder signatures,
            PreparedDeltas prepared)
            throws IOException {
        connection.send(
                kept != null
                        ? new BlocksBegin(base.digest(), scan.files())
                        : new DeltaBegin(base.digest(), scan.files()));
        Frames frames = new Frames(connection);
        Deflater deflater = new Deflater(level, true);
        Set<String> removed = new HashSet<>();
        ArchiveSummary summary;
        try {
            DeflaterOutputStream out = new DeflaterOutputStream(frames, deflater, ProtocolLimits.DATA_CHUNK);
            if (kept != null) {
                BlockStreamWriter blocks = new BlockStreamWriter(out);
                summary = archiver.writeBlockDelta(scan, cache, base, blocks, removed, kept, signatures, prepared);
                LOG.log(
                        Level.DEBUG,
                        "block delta of {0}: {1} files against their base versions, {2} bytes copied",
                        scan.root(),
                        blocks.files(),
                        blocks.copiedBytes());
            } else {
                summary = archiver.writeDelta(scan, cache, base, out, removed, signatures);
            }
            out.finish();
            frames.flush();
        } finally {
            deflater.end();
        }
        List<String> sorted = new ArrayList<>(removed);
        sorted.sort(null);
        for (int at = 0; at < sorted.size(); at += DeltaRemoved.PAGE) {
            connection.send(new DeltaRemoved(sorted.subList(at, Math.min(sorted.size(), at + DeltaRemoved.PAGE))));
        }
        connection.send(
                new DeltaEnd(frames.size, frames.sha256(), summary.digest(), summary.files(), summary.warnings()));
        return summary;
    }

    /** The deflated delta as {@code Data} frames of {@link ProtocolLimits#DATA_CHUNK} bytes, counted and hashed. */
    private static final class Frames extends OutputStream {
        private final Connection connection;
        private final MessageDigest sha256;
        private final byte[] buffer = new byte[ProtocolLimits.DATA_CHUNK];
        private int filled;
        long size;

        Frames(Connection connection) {
            this.connection = connection;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == buffer.length) {
                    flush();
                }
            }
        }

        /** Sends what is buffered as one frame. */
        @Override
        public void flush() throws IOException {
            if (filled > 0) {
                byte[] frame = java.util.Arrays.copyOf(buffer, filled);
                sha256.update(frame);
                size += frame.length;
                filled = 0;
                connection.send(new Data(frame));
            }
        }

        String sha256() {
            return HexFormat.of().formatHex(sha256.digest());
        }
    }
}
