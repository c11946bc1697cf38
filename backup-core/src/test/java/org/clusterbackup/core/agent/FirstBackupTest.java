package org.clusterbackup.core.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.clusterbackup.core.archive.ArchiveHooks;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.FileOpener;
import org.clusterbackup.core.archive.TreeScan;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.Segment;
import org.clusterbackup.core.protocol.Unchanged;
import org.clusterbackup.core.server.TestPeers;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent asked for a tree's first backup (no base digest: nothing to compare the scan with) reads no file
 * in its scan, and sends, and keeps in its state, exactly what an agent whose scan hashed every file does (one
 * asked with a base digest it holds no manifest of: the cold case).
 */
class FirstBackupTest {
    @TempDir
    Path dir;

    /** One agent's answer and what it kept. */
    private record Answer(byte[] archive, ArchiveEnd end, int scanOpens, Map<String, byte[]> state) {}

    @Test
    void aFirstBackupHashesNothingInTheScanAndIsTheColdBackupByteForByte() throws Exception {
        Path source = Trees.sample(Files.createDirectories(dir.resolve("src")));
        byte[] noise = new byte[3 * 1024 * 1024 + 100];
        new Random(3).nextBytes(noise);
        Files.write(source.resolve("noise.bin"), noise);
        for (int i = 0; i < 30; i++) {
            Trees.write(source, "many/f" + i + ".txt", ("line " + i + "\n").repeat(50 * i));
        }

        Answer cold = backup(source, "cold", "ab".repeat(32));
        Answer first = backup(source, "first", null);

        assertEquals(0, first.scanOpens(), "the first backup's scan opened files");
        assertTrue(cold.scanOpens() > 30, "a cold scan with a base digest hashes every file: " + cold.scanOpens());
        assertArrayEquals(cold.archive(), first.archive(), "the archive's bytes");
        assertEquals(cold.end(), first.end(), "size, sha256, digest, files and warnings of ArchiveEnd");
        assertEquals(cold.state().keySet(), first.state().keySet(), "the agent's state files");
        assertTrue(
                cold.state().keySet().stream().anyMatch(n -> n.startsWith("statcache-")),
                () -> "a stat cache kept: " + cold.state().keySet());
        assertTrue(
                cold.state().size() >= 2,
                () -> "a manifest kept too: " + cold.state().keySet());
        for (String name : cold.state().keySet()) {
            assertArrayEquals(cold.state().get(name), first.state().get(name), name);
        }
    }

    private Answer backup(Path source, String name, String baseDigest) throws IOException {
        AtomicInteger opens = new AtomicInteger();
        AtomicInteger atScanEnd = new AtomicInteger(-1);
        FileOpener counting = (file, safe) -> {
            opens.incrementAndGet();
            return safe.open();
        };
        ArchiveHooks hooks = new ArchiveHooks() {
            @Override
            public void afterScan(TreeScan scan) {
                atScanEnd.set(opens.get());
            }
        };
        Path state = dir.resolve("state-" + name);
        Path serverData = dir.resolve("server-" + name);
        // An hour ahead: every file is old enough for the stat cache to keep it, so the caches compared hold files.
        ArchiveOptions options =
                ArchiveOptions.defaults().withOpener(counting).withHooks(hooks).withClock(ManualClock.hourAhead());
        try (BackupAgent agent = BackupAgent.start(TestPeers.trusting(
                        new AgentSettings(new InetSocketAddress("127.0.0.1", 0), List.of(source), state, options),
                        serverData));
                BlockingConnection c = dial(agent, serverData)) {
            c.send(new BackupRequest(source.toString(), baseDigest, 6));
            assertInstanceOf(ArchiveBegin.class, c.receive());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ArchiveEnd end = null;
            while (end == null) {
                Message m = c.receive();
                if (m instanceof Data d) {
                    bytes.writeBytes(d.bytes());
                } else if (!(m instanceof Segment)) {
                    end = assertInstanceOf(ArchiveEnd.class, m);
                }
            }
            int scanOpens = atScanEnd.get();
            // The next backup of the root waits for this one to have kept its state (the root's lock), and finds
            // the tree unchanged from the manifest it kept.
            try (BlockingConnection next = dial(agent, serverData)) {
                next.send(new BackupRequest(source.toString(), end.digest(), 6));
                assertInstanceOf(Unchanged.class, next.receive());
            }
            return new Answer(bytes.toByteArray(), end, scanOpens, files(state));
        }
    }

    private static BlockingConnection dial(BackupAgent agent, Path serverData) throws IOException {
        return TestPeers.dialAgent(
                agent, serverData, Duration.ofSeconds(5), Duration.ofSeconds(60), ProtocolLimits.DEFAULT);
    }

    private static Map<String, byte[]> files(Path state) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(state)) {
            // The agent's own TLS identity is made anew by each agent; the rest is what its backups kept.
            for (Path p : walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("identity"))
                    .toList()) {
                files.put(state.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
