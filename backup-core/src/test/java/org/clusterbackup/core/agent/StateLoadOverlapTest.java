package org.clusterbackup.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterbackup.core.archive.ArchiveHooks;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.FileOpener;
import org.clusterbackup.core.archive.StatCache;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.Unchanged;
import org.clusterbackup.core.server.TestPeers;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent loads a root's stat cache while its scan walks the tree: with the cache file a named pipe, whose
 * read waits for a writer, the scan still walks, and the cache its walk's hook then writes into the pipe is the
 * one the scan uses (no file hashed). Loaded before the walk, the load would wait for a writer that never comes.
 * A cache or manifest that cannot be read gives the answer it gave when loaded first.
 */
class StateLoadOverlapTest {
    @TempDir
    Path dir;

    private final AtomicInteger opens = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean piped = new java.util.concurrent.atomic.AtomicBoolean();

    @Test
    void theStatCacheIsLoadedWhileTheTreeIsWalked() throws Exception {
        Path source = Trees.sample(Files.createDirectories(dir.resolve("src")));
        Path state = dir.resolve("state");
        Path cacheFile = StatCache.fileFor(state, source);
        byte[][] kept = new byte[1][];
        ArchiveHooks hooks = new ArchiveHooks() {
            @Override
            public void afterWalk(Path root) {
                if (kept[0] == null || piped.getAndSet(true)) {
                    return;
                }
                // The load is waiting on the pipe's other end: this write is what it reads.
                try (OutputStream out = Files.newOutputStream(cacheFile, StandardOpenOption.WRITE)) {
                    out.write(kept[0]);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        try (BackupAgent agent = start(source, state, hooks)) {
            ArchiveEnd first =
                    assertInstanceOf(ArchiveEnd.class, ask(agent, new BackupRequest(source.toString(), null, 6)));
            // The next run (same root, under its lock) waits for this one's save.
            assertInstanceOf(Unchanged.class, ask(agent, new BackupRequest(source.toString(), first.digest(), 6)));
            kept[0] = Files.readAllBytes(cacheFile);
            Files.delete(cacheFile);
            Process mkfifo = new ProcessBuilder("mkfifo", cacheFile.toString())
                    .inheritIO()
                    .start();
            assertEquals(0, mkfifo.waitFor());

            opens.set(0);
            try {
                assertInstanceOf(Unchanged.class, ask(agent, new BackupRequest(source.toString(), first.digest(), 6)));
            } finally {
                if (!piped.getAndSet(true)) {
                    // The walk never came: the load waits on the pipe before it; let it go, so the agent can stop.
                    Files.write(cacheFile, kept[0], StandardOpenOption.WRITE);
                }
            }
            assertEquals(0, opens.get(), "files hashed: the scan did not use the cache read from the pipe");
        }
    }

    @Test
    void unreadableStateGivesTheAnswerItGaveWhenLoadedFirst() throws Exception {
        Path source = Trees.sample(Files.createDirectories(dir.resolve("src")));
        Path state = dir.resolve("state");
        try (BackupAgent agent = start(source, state, ArchiveHooks.NONE)) {
            ArchiveEnd first =
                    assertInstanceOf(ArchiveEnd.class, ask(agent, new BackupRequest(source.toString(), null, 6)));
            assertInstanceOf(Unchanged.class, ask(agent, new BackupRequest(source.toString(), first.digest(), 6)));
            // Every state file of the root garbage: an empty cache (every file hashed again) and no manifest, so
            // a delta asked for goes whole, with the same digest.
            try (var files = Files.list(state)) {
                for (Path p : files.filter(p -> p.getFileName().toString().matches("(statcache|delivered)-.*"))
                        .toList()) {
                    Files.write(p, new byte[] {1, 2, 3});
                }
            }
            Trees.write(source, "top.txt", "changed\n");
            opens.set(0);
            ArchiveEnd whole = assertInstanceOf(
                    ArchiveEnd.class, ask(agent, new BackupRequest(source.toString(), first.digest(), 6, true, true)));
            assertEquals(first.files(), whole.files());
            assertEquals(List.of(), whole.warnings());
            assertEquals(true, opens.get() > first.files(), "every file read again: " + opens.get());
            assertInstanceOf(Unchanged.class, ask(agent, new BackupRequest(source.toString(), whole.digest(), 6)));
        }
    }

    private BackupAgent start(Path source, Path state, ArchiveHooks hooks) throws IOException {
        FileOpener counting = (file, safe) -> {
            opens.incrementAndGet();
            return safe.open();
        };
        // An hour ahead: every file is old enough for the stat cache to keep it.
        ArchiveOptions options =
                ArchiveOptions.defaults().withOpener(counting).withHooks(hooks).withClock(ManualClock.hourAhead());
        return BackupAgent.start(TestPeers.trusting(
                new AgentSettings(new InetSocketAddress("127.0.0.1", 0), List.of(source), state, options),
                dir.resolve("server")));
    }

    private Message ask(BackupAgent agent, BackupRequest request) throws IOException {
        try (BlockingConnection c = TestPeers.dialAgent(
                agent, dir.resolve("server"), Duration.ofSeconds(5), Duration.ofSeconds(20), ProtocolLimits.DEFAULT)) {
            c.send(request);
            while (true) {
                Message m = c.receive();
                if (m instanceof ArchiveEnd || m instanceof Unchanged) {
                    return m;
                }
            }
        }
    }
}
