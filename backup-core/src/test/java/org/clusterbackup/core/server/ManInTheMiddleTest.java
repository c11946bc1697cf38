package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.client.AccessDeniedException;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.security.MitmProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A loopback proxy presenting its own certificate sits between the parties: both ends refuse it. */
class ManInTheMiddleTest {
    @TempDir
    Path dir;

    Pipeline p;
    MitmProxy proxy;

    @BeforeEach
    void setUp() throws IOException {
        p = new Pipeline(dir).start();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        p.close();
    }

    @Test
    void anOperatorWhoPinnedTheServerRefusesTheProxyAndSendsItNothing() throws Exception {
        proxy = new MitmProxy(dir.resolve("mallory"), "127.0.0.1", p.server.address());
        BackupClient victim = BackupClient.of(
                        new HostPort("127.0.0.1", proxy.address().getPort()), "cli")
                .withServerFingerprint(p.server.fingerprint())
                .withToken(Files.readString(p.server.adminTokenFile()).strip());
        AccessDeniedException e = assertThrows(
                AccessDeniedException.class, () -> victim.register("127.0.0.2", p.agentPort(), "/srv/app", 3600));
        assertTrue(e.getMessage().contains("not the expected " + p.server.fingerprint()), e.getMessage());
        assertEquals(0, proxy.relayedToUpstream(), "not a byte of the request (or the token) reached the proxy");
        assertEquals(0, p.client.list().size());
    }

    @Test
    void theServerRefusesAProxyPosingAsAPinnedAgent() throws Exception {
        Path tree = Trees.sample(p.source);
        proxy = new MitmProxy(dir.resolve("mallory"), "127.0.0.3", p.agent.address());
        p.client.register(
                "127.0.0.3",
                proxy.address().getPort(),
                tree.toString(),
                3600,
                p.agent.fingerprint().value());
        ExecutionInfo run = p.client.run(new TargetSelector("127.0.0.3", tree.toString(), null));
        assertEquals(Outcome.FAILED, run.outcome());
        assertTrue(run.error().contains("agent identity changed: expected " + p.agent.fingerprint()), run.error());
        assertEquals(0, proxy.relayedToUpstream());
        assertEquals(0, run.bytesReceived());
    }
}
