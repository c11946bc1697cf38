package org.clusterbackup.core.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.GnuTar;
import org.clusterbackup.core.archive.SegmentedGzip;
import org.clusterbackup.core.archive.StatCache;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.Segment;
import org.clusterbackup.core.server.TestPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real agent on loopback, asked for archives as the server asks: what goes over the wire, frame by frame. */
class SegmentedTransferTest {
    @TempDir
    Path dir;

    private Path source;
    private BackupAgent agent;

    @BeforeEach
    void startAgent() throws IOException {
        source = Files.createDirectories(dir.resolve("src"));
        Trees.write(source, "notes.txt", "some notes\n".repeat(2000));
        byte[] noise = new byte[3 * 1024 * 1024 + 100];
        new Random(7).nextBytes(noise);
        Files.write(Files.createDirectories(source.resolve("data")).resolve("noise.bin"), noise);
        agent = BackupAgent.start(TestPeers.trusting(
                new AgentSettings(
                        new InetSocketAddress("127.0.0.1", 0),
                        List.of(source),
                        dir.resolve("state"),
                        ArchiveOptions.defaults().withThreads(2)),
                dir.resolve("server-data")));
    }

    @AfterEach
    void stopAgent() {
        agent.close();
    }

    @Test
    void anArchiveTravelsAsHeaderSegmentsAndTailAndIsTheStoredTgz() throws Exception {
        Transfer t = backup(null);

        assertEquals(SegmentedGzip.HEADER_LENGTH, t.firstData.length);
        assertTrue(SegmentedGzip.isHeader(t.firstData, 0, t.firstData.length));
        assertEquals(SegmentedGzip.TAIL_LENGTH, t.lastData.length);
        assertTrue(t.segments > 3, "a 3 MiB file alone makes three segments; got " + t.segments);
        assertEquals(t.end.size(), t.bytes.length);
        assertEquals(t.end.sha256(), sha256(t.bytes));
        Path archive = Files.write(dir.resolve("wire.tgz"), t.bytes);
        GnuTar.gzipTest(archive);
        Path restored = Files.createDirectory(dir.resolve("restored"));
        GnuTar.extract(archive, restored);
        assertEquals(Trees.describe(source), Trees.describe(restored));
    }

    @Test
    void theAgentDeflatesAtTheLevelTheServerAsksAndAnOlderServerGetsSix() throws Exception {
        byte[] one = backup(1).bytes;
        byte[] nine = backup(9).bytes;
        byte[] absent = backup(null).bytes;

        assertNotEquals(one.length, nine.length);
        assertArrayEquals(archivedLocally(1), one, "the agent's level-1 archive is the archiver's at level 1");
        assertArrayEquals(archivedLocally(6), absent);
        assertArrayEquals(absent, backup(0).bytes);
    }

    @Test
    void aLevelOutsideOneToNineIsABadRequest() throws Exception {
        for (int level : new int[] {10, -1, 99}) {
            try (BlockingConnection c = connect()) {
                c.send(new BackupRequest(source.toString(), null, level));
                ErrorReply error = assertInstanceOf(ErrorReply.class, c.receive());
                assertEquals(ErrorCode.BAD_REQUEST, error.code());
                assertTrue(error.message().contains("compressionLevel " + level), error.message());
            }
        }
    }

    private byte[] archivedLocally(int level) throws IOException {
        try (TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults().withGzipLevel(level))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            archiver.write(archiver.scan(source.toRealPath(), StatCache.empty()), StatCache.empty(), out);
            return out.toByteArray();
        }
    }

    /** Reads one archive off the wire, checking the framing as it goes. */
    private Transfer backup(Integer level) throws IOException {
        try (BlockingConnection c = connect()) {
            c.send(new BackupRequest(source.toString(), null, level));
            assertInstanceOf(ArchiveBegin.class, c.receive());
            Transfer t = new Transfer();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            long owed = 0; // bytes of the current segment still to come
            while (true) {
                Message m = c.receive();
                if (m instanceof Segment s) {
                    assertEquals(0, owed, "a Segment before the previous one's bytes were all sent");
                    assertTrue(s.tarLength() >= 1 && s.tarLength() <= Segment.MAX_TAR_LENGTH, s.toString());
                    assertTrue(s.gzLength() >= 1 && s.gzLength() <= Segment.MAX_GZ_LENGTH, s.toString());
                    owed = s.gzLength();
                    t.segments++;
                } else if (m instanceof Data d) {
                    assertTrue(d.bytes().length <= ProtocolLimits.DATA_CHUNK);
                    if (t.firstData == null) {
                        t.firstData = d.bytes();
                    } else if (owed == 0) {
                        t.lastData = d.bytes();
                    } else {
                        assertTrue(d.bytes().length <= owed, "a Data frame straddles two segments");
                        owed -= d.bytes().length;
                    }
                    bytes.writeBytes(d.bytes());
                } else {
                    t.end = assertInstanceOf(ArchiveEnd.class, m);
                    break;
                }
            }
            assertEquals(0, owed);
            t.bytes = bytes.toByteArray();
            return t;
        }
    }

    private BlockingConnection connect() throws IOException {
        return TestPeers.dialAgent(
                agent,
                dir.resolve("server-data"),
                Duration.ofSeconds(5),
                Duration.ofSeconds(60),
                ProtocolLimits.DEFAULT);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static final class Transfer {
        byte[] firstData;
        byte[] lastData;
        int segments;
        ArchiveEnd end;
        byte[] bytes;
    }
}
