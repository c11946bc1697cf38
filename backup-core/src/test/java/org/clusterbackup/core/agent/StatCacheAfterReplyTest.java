package org.clusterbackup.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.clusterbackup.core.archive.ArchiveHooks;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.StatCache;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.archive.TreeScan;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.DeltaEnd;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.Unchanged;
import org.clusterbackup.core.server.TestPeers;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent saves a tree's stat cache once its reply's last frame is sent, not on the way to it: when the
 * server holds the last frame (Unchanged, ArchiveEnd, DeltaEnd) the cache file is still the previous run's, and
 * the agent saves only once the server has seen it (a hook holds the save until then). What it saves is what a
 * scan and write that save at their end keep.
 */
class StatCacheAfterReplyTest {
    @TempDir
    Path dir;

    private final Semaphore replySeen = new Semaphore(0);
    private final Semaphore saving = new Semaphore(0);
    private final List<String> hookFailures = new ArrayList<>();

    @Test
    void theCacheIsSavedAfterTheReplyAndHoldsWhatScanAndWriteKeep() throws Exception {
        Path source = Trees.sample(Files.createDirectories(dir.resolve("src")));
        for (int i = 0; i < 20; i++) {
            Trees.write(source, "many/f" + i + ".txt", ("line " + i + "\n").repeat(40 * i + 1));
        }
        Path state = dir.resolve("state");
        Path mirror = Files.createDirectories(dir.resolve("mirror"));
        Path serverData = dir.resolve("server");
        ArchiveHooks hooks = new ArchiveHooks() {
            @Override
            public void beforeStatCacheSave(Path root) {
                try {
                    if (!replySeen.tryAcquire(60, TimeUnit.SECONDS)) {
                        hookFailures.add("the server never saw the reply of " + root);
                    }
                    saving.release();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    hookFailures.add("interrupted");
                }
            }
        };
        // An hour ahead: every file is old enough for the stat cache to keep it.
        ArchiveOptions options = ArchiveOptions.defaults().withClock(ManualClock.hourAhead());
        Path cacheFile = StatCache.fileFor(state, source);
        try (BackupAgent agent = BackupAgent.start(TestPeers.trusting(
                        new AgentSettings(
                                new InetSocketAddress("127.0.0.1", 0),
                                List.of(source),
                                state,
                                options.withHooks(hooks)),
                        serverData));
                TreeArchiver direct = new TreeArchiver(options)) {
            // 1. The first backup, whole: no cache file yet when ArchiveEnd arrives.
            ArchiveEnd first = assertInstanceOf(
                    ArchiveEnd.class,
                    lastFrame(agent, serverData, new BackupRequest(source.toString(), null, 6), cacheFile, null));
            TreeScan scan = direct.scanWithoutBase(source, StatCache.load(mirror, source), s -> {});
            byte[] afterFirst = mirrored(direct, mirror, source, scan, true);

            // 2. A file changes, sent as a delta: the file at DeltaEnd is the first run's.
            Trees.write(source, "many/f3.txt", "rewritten, and longer than it was before\n".repeat(9));
            DeltaEnd delta = assertInstanceOf(
                    DeltaEnd.class,
                    lastFrame(
                            agent,
                            serverData,
                            new BackupRequest(source.toString(), first.digest(), 6, true, true),
                            cacheFile,
                            afterFirst));
            byte[] afterDelta =
                    mirrored(direct, mirror, source, direct.scan(source, StatCache.load(mirror, source)), true);

            // 3. Another changes, sent whole (no delta taken): the file at ArchiveEnd is the delta run's.
            Trees.write(source, "top.txt", "top level, changed\n");
            ArchiveEnd whole = assertInstanceOf(
                    ArchiveEnd.class,
                    lastFrame(
                            agent,
                            serverData,
                            new BackupRequest(source.toString(), delta.digest(), 6),
                            cacheFile,
                            afterDelta));
            byte[] afterWhole =
                    mirrored(direct, mirror, source, direct.scan(source, StatCache.load(mirror, source)), true);

            // 4. A touch: Unchanged, the entry re-hashed; the file at Unchanged is the whole run's.
            Files.setLastModifiedTime(source.resolve("many/f5.txt"), FileTime.fromMillis(1_000_000_000_000L));
            assertInstanceOf(
                    Unchanged.class,
                    lastFrame(
                            agent,
                            serverData,
                            new BackupRequest(source.toString(), whole.digest(), 6),
                            cacheFile,
                            afterWhole));
            byte[] afterTouch =
                    mirrored(direct, mirror, source, direct.scan(source, StatCache.load(mirror, source)), false);
            assertFalse(Arrays.equals(afterWhole, afterTouch), "the touch changed an entry");

            // 5. Nothing changed: the touch run saved its cache after its reply.
            assertInstanceOf(
                    Unchanged.class,
                    lastFrame(
                            agent,
                            serverData,
                            new BackupRequest(source.toString(), whole.digest(), 6),
                            cacheFile,
                            afterTouch));
        }
        assertEquals(List.of(), hookFailures);
    }

    /**
     * Sends {@code request} and returns the reply's last frame, checking that when it arrives the cache file
     * holds {@code expected} (null: there is none); then lets the agent save.
     */
    private Message lastFrame(
            BackupAgent agent, Path serverData, BackupRequest request, Path cacheFile, byte[] expected)
            throws IOException, InterruptedException {
        try (BlockingConnection c = TestPeers.dialAgent(
                agent, serverData, Duration.ofSeconds(5), Duration.ofSeconds(60), ProtocolLimits.DEFAULT)) {
            c.send(request);
            while (true) {
                Message m = c.receive();
                if (m instanceof ArchiveEnd
                        || m instanceof DeltaEnd
                        || m instanceof Unchanged
                        || m instanceof ErrorReply) {
                    byte[] now = Files.exists(cacheFile) ? Files.readAllBytes(cacheFile) : null;
                    replySeen.release();
                    // The run goes on to its save before the next request (or the agent's close) comes.
                    assertTrue(saving.tryAcquire(60, TimeUnit.SECONDS), "the agent never came to save its cache");
                    if (expected == null) {
                        assertNull(now, "a stat cache saved before the reply's last frame");
                    } else {
                        assertTrue(
                                Arrays.equals(expected, now),
                                "the stat cache when the reply's last frame arrived is not the previous run's");
                    }
                    return m;
                }
            }
        }
    }

    /** The cache file a scan and write that save at their end keep for the tree as it is now (mirror's). */
    private static byte[] mirrored(TreeArchiver direct, Path mirror, Path source, TreeScan scan, boolean write)
            throws IOException {
        if (write) {
            direct.write(scan, StatCache.load(mirror, source), OutputStream.nullOutputStream());
        }
        return Files.readAllBytes(StatCache.fileFor(mirror, source));
    }
}
