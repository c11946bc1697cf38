package org.clusterbackup.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterbackup.core.agent.AgentSettings;
import org.clusterbackup.core.agent.BackupAgent;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.catalog.Archive;
import org.clusterbackup.core.catalog.Catalogs;
import org.clusterbackup.core.catalog.PostgresLocation;
import org.clusterbackup.core.catalog.SecurityCatalog;
import org.clusterbackup.core.catalog.TestPostgres;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.security.Identity;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.clusterbackup.core.store.ArchiveStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers of one cluster on one data dir and one PostgreSQL catalog: one identity, one first admin token,
 * a lock per server name, and sweeping that leaves the others' work in progress alone.
 */
class SharedDataDirTest {
    private static final Duration LEASE = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private Path data;
    private PostgresLocation location;
    private final List<BackupServer> servers = new ArrayList<>();
    /** The test's own look at the shared catalog, as an operator's psql would have. */
    private Catalogs observer;

    @BeforeEach
    void database() {
        data = dir.resolve("shared");
        location = TestPostgres.freshDatabase();
        observer = location.open(dir, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws IOException {
        for (BackupServer s : servers) {
            s.close();
        }
        observer.close();
    }

    private ServerSettings settings(String name) {
        return new ServerSettings(new InetSocketAddress("127.0.0.1", 0), data)
                .withCatalog(location)
                .withClaims(name, LEASE);
    }

    private BackupServer start(String name) throws IOException {
        return start(name, RunHooks.NONE);
    }

    private BackupServer start(String name, RunHooks hooks) throws IOException {
        BackupServer s = RunningServer.start(settings(name), Clock.systemUTC(), ArchiveStore.WriteHook.NONE, hooks);
        servers.add(s);
        return s;
    }

    @Test
    void threeServersOnOneDataDirPresentOneIdentityAndAcceptOneAdminToken() throws Exception {
        for (int i = 0; i < 3; i++) {
            start("s" + i);
        }

        Set<Object> fingerprints =
                Set.copyOf(servers.stream().map(BackupServer::fingerprint).toList());
        assertEquals(1, fingerprints.size(), "agents trust one fingerprint: " + fingerprints);
        assertEquals(fingerprints.iterator().next(), BackupServer.identityOf(data));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(Identity.FILE_NAME))));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(servers.get(0).adminTokenFile())));
        for (BackupServer s : servers) {
            assertEquals(1, Pipeline.adminOf(s).tokens().size(), "the token of the file works on " + s.address());
        }
        assertEquals(List.of("admin"), tokenNames(observer.security()));
    }

    @Test
    void twoServersStartingTogetherCreateOneIdentityAndOneAdminToken() throws Exception {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch letTheFirstGo = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        RunHooks hold = new RunHooks() {
            @Override
            public void setUpLocked() throws IOException {
                if (entered.incrementAndGet() == 1) {
                    firstInside.countDown();
                    try {
                        letTheFirstGo.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                }
            }
        };
        ExecutorService starts = Executors.newFixedThreadPool(2);
        try {
            Future<BackupServer> first = starts.submit(() -> start("a", hold));
            firstInside.await();
            Future<BackupServer> second = starts.submit(() -> start("b", hold));
            // The second is blocked on the set-up lock while the first has made nothing yet.
            await().atMost(Duration.ofMinutes(1)).until(this::someoneWaitsForTheSetUpLock);
            assertFalse(Files.exists(data.resolve(Identity.FILE_NAME)));
            letTheFirstGo.countDown();

            BackupServer a = first.get();
            BackupServer b = second.get();
            assertEquals(a.fingerprint(), b.fingerprint());
            assertEquals(List.of("admin"), tokenNames(observer.security()), "one first admin token, not two");
            assertEquals(1, Pipeline.adminOf(b).tokens().size());
        } finally {
            letTheFirstGo.countDown();
            starts.shutdownNow();
        }
    }

    @Test
    void aSecondServerWithTheSameNameOnTheDataDirIsRefused() throws Exception {
        start("s0");
        IOException e = assertThrows(IOException.class, () -> start("s0"));
        assertTrue(e.getMessage().contains("in use by another backup-server named 's0'"), e.getMessage());
        start("s1"); // another name shares it
    }

    @Test
    void aServerWithoutCatalogAndAClusterNeverShareADataDir() throws Exception {
        BackupServer cluster = start("s0");
        ServerSettings lone = new ServerSettings(new InetSocketAddress("127.0.0.1", 0), data);
        IOException e = assertThrows(IOException.class, () -> BackupServer.start(lone, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("belongs to a cluster of backup-servers"), e.getMessage());
        servers.remove(cluster);
        cluster.close();
        e = assertThrows(IOException.class, () -> BackupServer.start(lone, Clock.systemUTC()));
        assertTrue(
                e.getMessage().contains("belongs to a cluster"),
                "stopped, the cluster's dir is still its own: " + e.getMessage());

        Path loneData = dir.resolve("lone");
        BackupServer.start(new ServerSettings(new InetSocketAddress("127.0.0.1", 0), loneData), Clock.systemUTC())
                .close();
        ServerSettings clusterOnLone = new ServerSettings(new InetSocketAddress("127.0.0.1", 0), loneData)
                .withCatalog(location)
                .withClaims("s1", LEASE);
        e = assertThrows(IOException.class, () -> BackupServer.start(clusterOnLone, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("belongs to a backup-server without --catalog"), e.getMessage());
    }

    @Test
    void startUpSweepKeepsARunningServersTempFilesAndRemovesAStoppedOnes() throws Exception {
        start("s0");
        BackupServer s1 = start("s1");
        Path targetDir = Files.createDirectories(data.resolve("archives/7"));
        Path running = Files.write(targetDir.resolve("execution-9@s1.partial"), new byte[10]);
        Path stopped = Files.write(targetDir.resolve("execution-8@gone.partial"), new byte[10]);
        Path ownEarlierLife = Files.write(targetDir.resolve("execution-6.idx@s2.partial"), new byte[10]);
        Path unnamed = Files.write(targetDir.resolve("40.tgz"), new byte[10]);

        start("s2");

        assertTrue(Files.exists(running), "s1 is running: its temp file stays");
        assertFalse(Files.exists(stopped), "no server named 'gone' runs: its temp file goes");
        assertFalse(Files.exists(ownEarlierLife), "s2's own earlier life's temp file goes");
        assertTrue(Files.exists(unnamed), "an archive no row names yet is left to its target's holder");

        servers.remove(s1);
        s1.close();
        start("s3");
        assertFalse(Files.exists(running), "once s1 stopped, its temp file goes");
    }

    /**
     * The race of a start-up sweep with another server's run: the archive is renamed into place inside the
     * transaction that records it, so for a moment a file exists that no committed row names. A server
     * starting at that moment must not take it for an orphan.
     */
    @Test
    void aServerStartingWhileAnotherCommitsAnArchiveLeavesTheArchiveAlone() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("src/app"));
        Files.writeString(tree.resolve("data.txt"), "content\n");
        CountDownLatch placed = new CountDownLatch(1);
        CountDownLatch letItCommit = new CountDownLatch(1);
        RunHooks holdAfterPlace = new RunHooks() {
            @Override
            public void afterPlace(long targetId, long archiveId) {
                placed.countDown();
                try {
                    letItCommit.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        BackupServer holder = start("s1", holdAfterPlace);
        ExecutorService runs = Executors.newSingleThreadExecutor();
        try (BackupAgent agent = BackupAgent.start(new AgentSettings(
                        new InetSocketAddress("127.0.0.2", 0),
                        List.of(tree.getParent()),
                        dir.resolve("agent-state"),
                        ArchiveOptions.defaults(),
                        List.of())
                .withTrustedServers(List.of(holder.fingerprint())))) {
            BackupClient admin = Pipeline.adminOf(holder);
            admin.register("127.0.0.2", agent.address().getPort(), tree.toString(), 3600);
            TargetSelector target = new TargetSelector("127.0.0.2", tree.toString(), null);
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> !observer.claims().orElseThrow().holders().isEmpty());
            Future<ExecutionInfo> run = runs.submit(() -> admin.run(target));
            placed.await();

            start("s2"); // its start-up sweep sees the renamed archive before its row commits
            letItCommit.countDown();

            assertEquals(Outcome.STORED, run.get().outcome(), run.get().error());
            List<Archive> archives = observer.catalog().storedArchives();
            assertEquals(1, archives.size());
            for (String file : ArchiveStore.keptFiles(archives)) {
                assertTrue(Files.exists(data.resolve(file)), "the recorded archive's file " + file + " is there");
            }
        } finally {
            letItCommit.countDown();
            runs.shutdownNow();
        }
    }

    private static List<String> tokenNames(SecurityCatalog security) {
        return security.tokens().stream().map(SecurityCatalog.TokenRecord::name).toList();
    }

    private boolean someoneWaitsForTheSetUpLock() throws Exception {
        return TestPostgres.someoneWaitsForAnAdvisoryLock(location);
    }
}
