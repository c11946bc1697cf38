package org.clusterbackup.core.agent;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.clusterbackup.core.archive.ArchiveHooks;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.FileOpener;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.KeepAlive;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.ScanProgress;
import org.clusterbackup.core.server.TestPeers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 item 3: while it scans, the agent reports progress the server's stall timeout can see. */
class ScanProgressTest {
    @TempDir
    Path dir;

    /** A clock that moves a second each time it is read: every scan step looks like a long one. */
    private static final class TickingClock extends Clock {
        private final AtomicLong seconds =
                new AtomicLong(Instant.parse("2030-01-01T00:00:00Z").getEpochSecond());

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds.incrementAndGet());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void aLongScanSendsGrowingProgressBeforeTheArchive() throws Exception {
        Path root = Files.createDirectories(dir.resolve("srv"));
        for (int d = 0; d < 5; d++) {
            Path sub = Files.createDirectories(root.resolve("d" + d));
            for (int f = 0; f < 20; f++) {
                Files.writeString(sub.resolve("f" + f), "content " + d + "/" + f);
            }
        }
        ArchiveOptions options = new ArchiveOptions(
                FileOpener.standard(),
                new TickingClock(),
                ArchiveOptions.DEFAULT_GZIP_LEVEL,
                1,
                ArchiveOptions.DEFAULT_HOT_FILE_RETRIES,
                ArchiveHooks.NONE);
        try (BackupAgent agent = BackupAgent.start(TestPeers.trusting(
                        new AgentSettings(
                                new InetSocketAddress("127.0.0.1", 0),
                                List.of(root),
                                dir.resolve("state"),
                                options,
                                List.of()),
                        dir.resolve("server-data")));
                BlockingConnection server = TestPeers.dialAgent(
                        agent,
                        dir.resolve("server-data"),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(30),
                        ProtocolLimits.DEFAULT)) {
            server.send(new BackupRequest(root.toString(), null, null));
            List<Long> counts = new ArrayList<>();
            Message m;
            while ((m = server.receiveAny()) instanceof ScanProgress || m instanceof KeepAlive) {
                if (m instanceof ScanProgress p) {
                    counts.add(p.entries());
                }
            }
            assertInstanceOf(ArchiveBegin.class, m);
            assertTrue(counts.size() >= 2, "progress reports: " + counts);
            for (int i = 1; i < counts.size(); i++) {
                assertTrue(counts.get(i) > counts.get(i - 1), "progress must grow: " + counts);
            }
        }
    }
}
