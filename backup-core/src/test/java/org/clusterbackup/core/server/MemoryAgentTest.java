package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.clusterbackup.core.agent.AgentSettings;
import org.clusterbackup.core.agent.MemoryAgent;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.GnuTar;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.server.api.BackupServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schedule bench's test agent against a real server over TLS: its recorded archive is stored as any
 * other (GNU tar extracts the tree it was made from), the next run is confirmed {@code UNCHANGED} from
 * memory, a path outside its set fails as on a real agent, and a server it was not told to trust fails in
 * the handshake, as with the real agent.
 */
class MemoryAgentTest {
    @TempDir
    Path dir;

    @Test
    void storesTheRecordedArchiveThenAnswersUnchangedAndRefusesOtherPaths() throws Exception {
        Path tree = Trees.sample(Files.createDirectories(dir.resolve("src")));
        try (BackupServer server = Pipeline.idleServer(dir.resolve("data"));
                BackupServer stranger = Pipeline.idleServer(dir.resolve("other-data"));
                MemoryAgent agent = MemoryAgent.start(
                        new AgentSettings(
                                        new InetSocketAddress("127.0.0.2", 0),
                                        List.of(),
                                        dir.resolve("agent-state"),
                                        ArchiveOptions.defaults())
                                .withTrustedServers(List.of(server.fingerprint())),
                        tree,
                        Set.of("/srv/app1"))) {
            BackupClient client = Pipeline.adminOf(server);
            int port = agent.address().getPort();
            client.register("127.0.0.2", port, "/srv/app1", 3600);
            client.register("127.0.0.2", port, "/srv/other", 3600);
            TargetSelector served = new TargetSelector("127.0.0.2", "/srv/app1", null);

            ExecutionInfo first = client.run(served);
            ExecutionInfo second = client.run(served);
            ExecutionInfo other = client.run(new TargetSelector("127.0.0.2", "/srv/other", null));

            assertEquals(Outcome.STORED, first.outcome(), first.error());
            ArchiveInfo stored = client.backups(served).get(0);
            Path restored = Files.createDirectory(dir.resolve("restored"));
            GnuTar.extract(Path.of(stored.file()), restored);
            assertEquals(Trees.describe(tree), Trees.describe(restored));
            assertEquals(Outcome.UNCHANGED, second.outcome(), second.error());
            assertEquals(first.archiveId(), second.archiveId());
            assertEquals(Outcome.FAILED, other.outcome());
            assertTrue(other.error().contains("not one this test agent serves"), other.error());
            BackupClient strangerClient = Pipeline.adminOf(stranger);
            strangerClient.register("127.0.0.2", port, "/srv/app1", 3600);
            ExecutionInfo untrusted = strangerClient.run(served);
            assertEquals(Outcome.FAILED, untrusted.outcome());
            assertEquals(FailureKind.IDENTITY, untrusted.failureKind(), untrusted.error());
        }
    }
}
