package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.net.NioServer;
import org.clusterbackup.core.net.TransportConfig;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.server.api.RunLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 item 3: a run has a deadline, must make progress, and cannot store an archive past the size cap. */
class RunDeadlinesTest {
    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);
    private NioServer fakeAgent;

    @AfterEach
    void stop() {
        release.countDown();
        if (fakeAgent != null) {
            fakeAgent.close();
        }
    }

    /**
     * An "agent" that greets, takes the backup request and then sends nothing but the keep-alives its
     * transport sends for any request in progress: alive, and never doing anything.
     */
    private int keepAliveOnlyAgent(Pipeline p) throws IOException {
        TransportConfig config = TransportConfig.of(new InetSocketAddress("127.0.0.2", 0), "agent", Set.of("server"))
                .withTimeouts(Duration.ofSeconds(60), Duration.ofMillis(50))
                .withTls(TestPeers.agentTls(dir.resolve("fake-agent"), p.dataDir));
        fakeAgent = NioServer.start(config, c -> message -> release.await(60, TimeUnit.SECONDS));
        return fakeAgent.address().getPort();
    }

    private ExecutionInfo runAgainst(Pipeline p, int agentPort) throws IOException {
        p.startServer();
        p.client.register("127.0.0.2", agentPort, "/srv/app", 3600);
        return assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> p.client.run(new TargetSelector("127.0.0.2", "/srv/app", null)),
                "the run never ended: keep-alives held its slot");
    }

    @Test
    void aPeerAnsweringWithKeepAlivesOnlyFailsAtTheStallTimeout() throws Exception {
        try (Pipeline p = new Pipeline(dir)) {
            p.settings = p.settings.withRunLimits(new RunLimits(Duration.ofHours(6), Duration.ofMillis(500), 0));
            ExecutionInfo e = runAgainst(p, keepAliveOnlyAgent(p));
            assertEquals(Outcome.FAILED, e.outcome());
            assertTrue(e.error().contains("no progress"), e.error());
        }
    }

    @Test
    void aRunPastTheRunTimeoutFails() throws Exception {
        try (Pipeline p = new Pipeline(dir)) {
            p.settings = p.settings.withRunLimits(new RunLimits(Duration.ofMillis(500), Duration.ofHours(1), 0));
            ExecutionInfo e = runAgainst(p, keepAliveOnlyAgent(p));
            assertEquals(Outcome.FAILED, e.outcome());
            assertTrue(e.error().contains("--run-timeout"), e.error());
        }
    }

    @Test
    void aPortThatDoesNotSpeakTheProtocolFailsTheRunInFixedWords() throws Exception {
        try (Pipeline p = new Pipeline(dir);
                java.net.ServerSocket web =
                        new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.2"))) {
            Thread answer = new Thread(() -> {
                try (java.net.Socket s = web.accept()) {
                    // A frame that looks like a Hello whose payload is the service's banner, which a JSON
                    // parser would quote in its error.
                    byte[] banner = "SECRET-BANNER HTTP/1.1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    s.getOutputStream()
                            .write(java.nio.ByteBuffer.allocate(5 + banner.length)
                                    .putInt(banner.length + 1)
                                    .put((byte) 1)
                                    .put(banner)
                                    .array());
                } catch (IOException ignored) {
                    // the test fails on the run's error if this never answered
                }
            });
            answer.start();
            ExecutionInfo e = runAgainst(p, web.getLocalPort());
            answer.join(10_000);
            assertEquals(Outcome.FAILED, e.outcome());
            assertTrue(e.error().contains("does not speak the Cluster Backup protocol"), e.error());
            assertTrue(!e.error().contains("SECRET") && !e.error().contains("HTTP"), e.error());
        }
    }

    @Test
    void anArchiveOverTheSizeCapIsRefusedAndNothingIsStored() throws Exception {
        try (Pipeline p = new Pipeline(dir)) {
            byte[] noise = new byte[256 * 1024];
            new Random(15).nextBytes(noise); // incompressible: the archive is bigger than the cap
            Files.write(p.source.resolve("noise.bin"), noise);
            p.settings = p.settings.withRunLimits(new RunLimits(Duration.ofHours(6), Duration.ofMinutes(5), 64 * 1024));
            p.start();
            TargetSelector target = p.register(p.source);
            ExecutionInfo e = p.client.run(target);
            assertEquals(Outcome.FAILED, e.outcome());
            assertTrue(e.error().contains("--max-archive-size"), e.error());
            assertNull(e.archiveId());
            assertTrue(p.client.backups(target).isEmpty());
        }
    }
}
