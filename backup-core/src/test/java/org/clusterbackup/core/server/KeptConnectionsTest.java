package org.clusterbackup.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clusterbackup.core.agent.BackupAgent;
import org.clusterbackup.core.archive.ArchiveHooks;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.catalog.SecurityCatalog;
import org.clusterbackup.core.index.SegmentedWire;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.DeltaBegin;
import org.clusterbackup.core.protocol.DeltaEnd;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.KeepAlive;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.security.Identity;
import org.clusterbackup.core.server.api.BackupServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server keeps its connections to an agent open between runs, on real loopback TLS: a real server and a
 * real agent (or a scripted one where the agent must misbehave on cue). The agent's count of accepted
 * connections says whether a run dialled.
 */
class KeptConnectionsTest {
    @TempDir
    Path dir;

    Pipeline p;
    Path tree;
    TargetSelector target;
    FakeAgent fake;

    @BeforeEach
    void setUp() throws IOException {
        p = new Pipeline(dir);
        tree = Trees.sample(p.source);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (fake != null) {
            fake.close();
        }
        p.close();
    }

    private void startWithRealAgent() throws IOException {
        p.start();
        target = p.register(tree);
    }

    private ExecutionInfo run(Outcome expected) throws IOException {
        ExecutionInfo run = p.client.run(target);
        assertEquals(expected, run.outcome(), run.error());
        return run;
    }

    /** A real server and a scripted agent that answers with whole archives of the tree; one run stored. */
    private byte[] storedByAnHonestFakeAgent() throws IOException {
        p.startServer();
        byte[] tar = SegmentedWire.tarOf(tree);
        fake = new FakeAgent(dir.resolve("fake-state"), p.dataDir, r -> FakeAgent.archive(tar, 64 * 1024));
        p.client.register(fake.node(), fake.port(), tree.toString(), 3600);
        target = new TargetSelector(fake.node(), tree.toString(), null);
        run(Outcome.STORED);
        return tar;
    }

    @Test
    void runsToOneAgentUseOneConnection() throws Exception {
        startWithRealAgent();
        run(Outcome.STORED);
        for (int i = 0; i < 5; i++) {
            ExecutionInfo unchanged = run(Outcome.UNCHANGED);
            assertTrue(
                    unchanged.bytesReceived() > 0 && unchanged.bytesReceived() < 1024, "" + unchanged.bytesReceived());
        }
        Files.writeString(tree.resolve("added.txt"), "a change\n");
        run(Outcome.STORED); // a whole archive over a kept connection, and the connection kept after it
        run(Outcome.UNCHANGED);
        assertEquals(1, p.agent.connectionsAccepted(), "eight runs, one connection");
        assertEquals(7, p.server.agents().reusedCount());
        assertEquals(1, p.server.agents().idleCount());
    }

    @Test
    void aRefusalKeepsTheConnectionButNotItsFailure() throws Exception {
        startWithRealAgent();
        Path outside = Files.createDirectories(dir.resolve("not-allowed"));
        p.client.register("127.0.0.2", p.agentPort(), outside.toString(), 3600);
        TargetSelector refused = new TargetSelector("127.0.0.2", outside.toString(), null);
        ExecutionInfo first = p.client.run(refused);
        assertEquals(FailureKind.REFUSED, first.failureKind(), first.error());
        run(Outcome.STORED);
        assertEquals(1, p.agent.connectionsAccepted(), "the agent's refusal ended a clean conversation");
    }

    @Test
    void aBusyRootDoesNotGiveItsConnectionBack() throws Exception {
        CountDownLatch walking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean hold = new AtomicBoolean();
        p.archive = ArchiveOptions.defaults().withHooks(new ArchiveHooks() {
            @Override
            public void afterWalk(Path root) {
                if (hold.getAndSet(false)) { // the other server's backup keeps the root's lock until released
                    walking.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        p.agent = BackupAgent.start(p.agentSettings(0)
                .withTrustedServers(List.of(BackupServer.identityOf(p.dataDir)))
                .withLockTimeout(Duration.ZERO));
        p.startServer();
        target = p.register(tree);
        run(Outcome.STORED);

        hold.set(true);
        try (BlockingConnection other = TestPeers.dialAgent(
                p.agent, p.dataDir, Duration.ofSeconds(10), Duration.ofSeconds(60), ProtocolLimits.DEFAULT)) {
            other.send(new BackupRequest(tree.toString(), null, null));
            try {
                assertTrue(walking.await(60, TimeUnit.SECONDS), "the other backup holds the root");
                ExecutionInfo busy = p.client.run(target);
                assertEquals(Outcome.FAILED, busy.outcome());
                assertTrue(busy.error().contains("another backup of this directory"), busy.error());
                assertEquals(1, p.server.agents().reusedCount(), "the busy answer came on the kept connection");
                assertEquals(0, p.server.agents().idleCount(), "a busy answer does not give its connection back");
            } finally {
                release.countDown();
            }
            while (!(other.receive() instanceof ArchiveEnd)) {
                // the other backup's archive, to its end
            }
            // Answered before any lock, and only once the agent finished the backup before on this connection.
            other.send(new BackupRequest(tree.toString(), null, 99));
            assertEquals(ErrorCode.BAD_REQUEST, other.expect(ErrorReply.class).code());
        }

        run(Outcome.UNCHANGED);
        assertEquals(3, p.agent.connectionsAccepted(), "the run after the busy one dialled anew");
        assertEquals(1, p.server.agents().reusedCount());
    }

    @Test
    void anErrorTheAgentClosesTheConnectionAfterDoesNotLeaveItInThePool() throws Exception {
        byte[] tar = storedByAnHonestFakeAgent();
        // As the agent's transport refuses a request when its listener holds too many partly received frames.
        fake.hangUpAfterError = true;
        fake.answer = r -> List.of(new ErrorReply(ErrorCode.BUSY, "this agent holds as many partly received frames"));
        ExecutionInfo busy = p.client.run(target);
        assertEquals(Outcome.FAILED, busy.outcome());
        assertEquals(0, p.server.agents().idleCount(), "the connection the agent closed is not kept");

        fake.hangUpAfterError = false;
        fake.answer = r -> FakeAgent.archive(tar, 64 * 1024);
        run(Outcome.STORED);
        assertEquals(0, p.server.agents().staleRetries(), "the next run did not borrow the closed connection");
        assertEquals(2, fake.accepted.get());
    }

    @Test
    void theFullArchiveAskedAfterADeltaThatDidNotApplyGoesOnANewConnectionIfTheAgentClosedIt() throws Exception {
        int[] port = {0};
        // The connection is silent while the server applies a delta (minutes, for a big archive): the agent
        // restarts meanwhile here, as it may also idle-close the connection or evict it for a newcomer.
        p.hooks = new RunHooks() {
            @Override
            public void beforeSynthesis(long targetId) {
                try {
                    p.agent.close();
                    p.startAgent(port[0]);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        startWithRealAgent();
        port[0] = p.agentPort();
        ExecutionInfo first = run(Outcome.STORED);
        Trees.flipByte(Path.of(p.client.backups(target).get(0).file())); // the delta will not apply
        Files.writeString(tree.resolve("added.txt"), "a change\n");

        ExecutionInfo second = run(Outcome.STORED);
        assertTrue(
                second.warnings().get(0).contains("did not apply"),
                second.warnings().toString());
        assertEquals("FULL", second.transfer());
        assertEquals(1, p.server.agents().staleRetries(), "the full archive was asked again on a new connection");
        assertEquals(1, p.agent.connectionsAccepted(), "the restarted agent was dialled once");
        assertTrue(
                second.bytesReceived() > first.bytesReceived(),
                "the delta's bytes and the full archive's: " + second.bytesReceived());
        run(Outcome.UNCHANGED);
        assertEquals(1, p.agent.connectionsAccepted(), "the new connection is kept in turn");
    }

    @Test
    void theFullArchiveAskedAfterADeltaThatDidNotApplyIsAskedAgainIfTheAgentIdleClosedTheConnection() throws Exception {
        byte[] tar = storedByAnHonestFakeAgent();
        // A delta that does not apply (not a deflate stream); then the agent's idle timeout ends the connection
        // while the server was busy with the delta, before it asked for the full archive.
        fake.hangUpAfterError = true;
        fake.answer = r -> r.baseDigest() == null
                ? FakeAgent.archive(tar, 64 * 1024)
                : List.of(
                        new DeltaBegin(r.baseDigest(), 1),
                        new Data(new byte[] {1, 2, 3}),
                        new DeltaEnd(3, "ab".repeat(32), "cd".repeat(32), 1, List.of()),
                        new ErrorReply(ErrorCode.PROTOCOL, "closed after 120 s of silence"));

        ExecutionInfo second = run(Outcome.STORED);
        assertTrue(
                second.warnings().get(0).contains("did not apply"),
                second.warnings().toString());
        assertEquals(1, p.server.agents().staleRetries());
        assertEquals(2, fake.accepted.get());
    }

    @Test
    void anAgentRestartedBetweenRunsCostsNoRun() throws Exception {
        startWithRealAgent();
        run(Outcome.STORED);
        run(Outcome.UNCHANGED);
        int port = p.agentPort();
        p.agent.close(); // the kept connection is closed by the agent
        p.startAgent(port);

        run(Outcome.UNCHANGED);
        assertEquals(1, p.agent.connectionsAccepted(), "the restarted agent was dialled once");
        assertEquals(1, p.server.agents().staleRetries(), "the stale connection was replaced, once");
        run(Outcome.UNCHANGED);
        assertEquals(1, p.agent.connectionsAccepted());
    }

    @Test
    void anAgentThatClosedAnIdleConnectionCostsNoRun() throws Exception {
        p.startServer();
        byte[] tar = SegmentedWire.tarOf(tree);
        // A short idle timeout on the agent's side: it closes the kept connection with its Error{PROTOCOL}.
        fake = new FakeAgent(
                dir.resolve("fake-state"), p.dataDir, r -> FakeAgent.archive(tar, 64 * 1024), Duration.ofSeconds(3));
        p.client.register(fake.node(), fake.port(), tree.toString(), 3600);
        target = new TargetSelector(fake.node(), tree.toString(), null);
        run(Outcome.STORED);
        await("the agent to close the idle connection")
                .atMost(Duration.ofSeconds(30))
                .until(() -> fake.closed.get() == 1);

        run(Outcome.STORED);
        assertEquals(2, fake.accepted.get());
        assertEquals(1, p.server.agents().staleRetries());
        run(Outcome.STORED);
        assertEquals(2, fake.accepted.get(), "the new connection is kept in turn");
    }

    @Test
    void aKeepAliveLeftAfterTheLastFrameDoesNotStopTheStaleRetry() throws Exception {
        p.startServer();
        byte[] tar = SegmentedWire.tarOf(tree);
        // The agent's housekeeping may send a KeepAlive after its ArchiveEnd (it is still saving its state): the
        // connection goes back to the pool with that frame unread.
        fake = new FakeAgent(dir.resolve("fake-state"), p.dataDir, r -> {
            List<Message> answer = new ArrayList<>(FakeAgent.archive(tar, 64 * 1024));
            answer.add(new KeepAlive());
            return answer;
        });
        int port = fake.port();
        p.client.register(fake.node(), port, tree.toString(), 3600);
        target = new TargetSelector(fake.node(), tree.toString(), null);
        run(Outcome.STORED);
        fake.close(); // the agent goes away: the kept connection ends without an Error
        await("the kept connection to close").atMost(Duration.ofSeconds(30)).until(() -> fake.closed.get() == 1);
        fake = new FakeAgent(dir.resolve("fake-state"), p.dataDir, r -> FakeAgent.archive(tar, 64 * 1024), null, port);

        ExecutionInfo second = run(Outcome.STORED); // the stale KeepAlive is not a reply to this run's request
        assertEquals(1, p.server.agents().staleRetries());
        assertTrue(second.bytesReceived() > 0);
    }

    @Test
    void aRunThatFailsMidArchiveDoesNotKeepItsConnection() throws Exception {
        p.startServer();
        byte[] tar = SegmentedWire.tarOf(tree);
        fake = new FakeAgent(dir.resolve("fake-state"), p.dataDir, r -> {
            List<Message> cut = new ArrayList<>(FakeAgent.archive(tar, 64 * 1024));
            cut = new ArrayList<>(cut.subList(0, cut.size() / 2));
            cut.add(new ErrorReply(ErrorCode.FAILED, "the disk went away"));
            return cut;
        });
        p.client.register(fake.node(), fake.port(), tree.toString(), 3600);
        target = new TargetSelector(fake.node(), tree.toString(), null);
        ExecutionInfo failed = p.client.run(target);
        assertEquals(Outcome.FAILED, failed.outcome());
        assertTrue(failed.error().contains("the disk went away"), failed.error());
        assertEquals(0, p.server.agents().idleCount());

        fake.answer = r -> FakeAgent.archive(tar, 64 * 1024);
        run(Outcome.STORED);
        assertEquals(2, fake.accepted.get(), "the failed run's connection was not used again");
        assertEquals(0, p.server.agents().reusedCount());
    }

    @Test
    void aChangedPinClosesTheKeptConnections() throws Exception {
        startWithRealAgent();
        run(Outcome.STORED);
        run(Outcome.UNCHANGED);
        String real = p.agent.fingerprint().value();
        String other = Identity.loadOrCreate(dir.resolve("other"), "other")
                .fingerprint()
                .value();
        p.client.trust("127.0.0.2", p.agentPort(), other);

        ExecutionInfo refused = p.client.run(target);
        assertEquals(FailureKind.IDENTITY, refused.failureKind(), refused.error());
        assertTrue(refused.error().contains("expected " + other + ", got " + real), refused.error());
        assertEquals(1, p.server.agents().reusedCount(), "the kept connection was not used under the new pin");
        assertEquals(0, p.server.agents().idleCount());

        p.client.trust("127.0.0.2", p.agentPort(), real);
        run(Outcome.UNCHANGED);
        assertEquals(2, p.agent.connectionsAccepted(), "pinned back, a new connection");
    }

    @Test
    void aServerTheAgentStoppedTrustingIsRefusedOnItsKeptConnection() throws Exception {
        Path trustFile = dir.resolve("trusted-servers");
        Files.writeString(trustFile, BackupServer.identityOf(p.dataDir) + "\n");
        p.agent = BackupAgent.start(p.agentSettings(0).withTrustFile(trustFile));
        p.startServer();
        target = p.register(tree);
        run(Outcome.STORED);
        run(Outcome.UNCHANGED);

        String someoneElse = Identity.loadOrCreate(dir.resolve("other"), "other")
                .fingerprint()
                .value();
        Files.writeString(trustFile, "# the server was removed\n" + someoneElse + "\n");
        Files.setLastModifiedTime(trustFile, FileTime.fromMillis(System.currentTimeMillis() + 5000));

        ExecutionInfo refused = p.client.run(target);
        assertEquals(Outcome.FAILED, refused.outcome());
        assertEquals(FailureKind.IDENTITY, refused.failureKind(), refused.error());
        assertTrue(refused.error().contains("is not trusted by this agent any more"), refused.error());
        assertEquals(1, p.agent.connectionsAccepted(), "refused on the kept connection, not on a new one");
        assertEquals(2, p.server.agents().reusedCount());

        ExecutionInfo again = p.client.run(target);
        assertEquals(FailureKind.IDENTITY, again.failureKind(), again.error());
        assertTrue(again.error().contains("refused this server's identity"), again.error());
    }

    @Test
    void idleConnectionsAreBoundedInNumberAndAge() throws Exception {
        startWithRealAgent();
        run(Outcome.STORED); // pins the agent
        long[] now = {0};
        int port = p.agentPort();
        try (SecurityCatalog security = SecurityCatalog.open(p.dataDir, Clock.systemUTC());
                AgentPool pool = new AgentPool(
                        new AgentDialer(
                                p.settings, Identity.loadOrCreate(p.dataDir, BackupServer.IDENTITY_NAME), security),
                        2,
                        Duration.ofSeconds(90),
                        () -> now[0])) {
            List<AgentPool.Lease> three =
                    List.of(pool.take("127.0.0.2", port), pool.take("127.0.0.2", port), pool.take("127.0.0.2", port));
            three.forEach(l -> l.release(true));
            assertEquals(2, pool.idleCount(), "two kept idle at most");
            assertTrue(three.get(0).connection().isClosed(), "the oldest one made room");

            now[0] = Duration.ofSeconds(89).toNanos();
            AgentPool.Lease newest = pool.take("127.0.0.2", port);
            assertTrue(newest.reused());
            assertSame(three.get(2).connection(), newest.connection(), "the newest idle one first");
            newest.release(true);

            now[0] += Duration.ofSeconds(90).toNanos() - 1;
            pool.sweep();
            assertEquals(1, pool.idleCount(), "the one idle since 0 s expired at 90 s");
            assertTrue(three.get(1).connection().isClosed());

            now[0] += 1;
            BlockingConnection kept = newest.connection();
            AgentPool.Lease fresh = pool.take("127.0.0.2", port);
            assertFalse(fresh.reused(), "90 s unused: not used again");
            assertNotSame(kept, fresh.connection());
            assertTrue(kept.isClosed());
            fresh.release(false);
            assertTrue(fresh.connection().isClosed(), "not a clean end: closed, not kept");
            assertEquals(0, pool.idleCount());
        }
    }

    @Test
    void shutdownClosesTheKeptConnections() throws Exception {
        startWithRealAgent();
        run(Outcome.STORED);
        AgentPool agents = p.server.agents();
        assertEquals(1, agents.idleCount());
        p.stopServer();
        assertEquals(0, agents.idleCount());
    }
}
