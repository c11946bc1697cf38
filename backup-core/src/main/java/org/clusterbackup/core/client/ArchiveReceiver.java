package org.clusterbackup.core.client;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolException;

/**
 * Receives one streamed archive or file — ArchiveBegin, Data frames, ArchiveEnd — writing the bytes as they
 * come and checking them at the end against the size and sha256 the server's records give.
 */
final class ArchiveReceiver {
    private ArchiveReceiver() {}

    /**
     * @param what how messages name what arrives ({@code archive 7})
     * @param truth what the expected size and sha256 come from ({@code the catalog})
     * @throws IntegrityException the bytes differ from the records; discard what was written
     */
    static FetchResult receive(BlockingConnection c, long archiveId, String what, String truth, OutputStream out)
            throws IOException {
        c.expect(ArchiveBegin.class);
        MessageDigest sha256 = sha256();
        long size = 0;
        while (true) {
            Message m = c.receive();
            if (m instanceof Data d) {
                out.write(d.bytes());
                sha256.update(d.bytes());
                size += d.bytes().length;
            } else if (m instanceof ArchiveEnd end) {
                String actual = HexFormat.of().formatHex(sha256.digest());
                if (size != end.size() || !actual.equals(end.sha256())) {
                    throw new IntegrityException(what + " arrived as " + size + " bytes with sha256 " + actual + "; "
                            + truth + " says " + end.size() + " bytes with sha256 " + end.sha256());
                }
                return new FetchResult(archiveId, size, actual);
            } else if (m instanceof ErrorReply error) {
                throw new RemoteErrorException(error);
            } else {
                throw new ProtocolException(
                        "the server sent " + m.getClass().getSimpleName() + " in an archive stream");
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
