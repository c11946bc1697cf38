package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.catalog.PostgresLocation;
import org.clusterbackup.core.catalog.SecurityCatalog;
import org.clusterbackup.core.catalog.TestPostgres;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline with its catalog and security store on PostgreSQL: nothing of either lands in the data dir. */
class PostgresPipelineTest {
    @TempDir
    Path dir;

    Pipeline p;
    PostgresLocation location;

    @BeforeEach
    void setUp() throws Exception {
        location = TestPostgres.freshDatabase();
        p = new Pipeline(dir);
        p.settings = p.settings.withCatalog(location);
    }

    @AfterEach
    void tearDown() throws Exception {
        p.close();
    }

    @Test
    void storedAndUnchangedRunsAreRecordedInTheSharedDatabase() throws Exception {
        p.start();
        Path tree = Trees.sample(p.source);
        TargetSelector target = p.register(tree);

        ExecutionInfo stored = p.client.run(target);
        ExecutionInfo unchanged = p.client.run(target);

        assertEquals(Outcome.STORED, stored.outcome(), stored.error());
        assertEquals(Outcome.UNCHANGED, unchanged.outcome(), unchanged.error());
        List<ArchiveInfo> backups = p.client.backups(target);
        assertEquals(
                List.of(stored.archiveId()),
                backups.stream().map(ArchiveInfo::id).toList());
        assertEquals(
                Trees.sha256(Path.of(backups.get(0).file())), backups.get(0).sha256());
        assertEquals(
                List.of(unchanged.id(), stored.id()),
                p.client.log(target, 0).stream().map(ExecutionInfo::id).toList());
        assertFalse(Files.exists(p.dataDir.resolve("catalog.db")), "no SQLite catalog beside the archives");
        assertFalse(Files.exists(p.dataDir.resolve(SecurityCatalog.FILE_NAME)), "no SQLite security store either");
    }

    @Test
    void aSecondServerOnTheSameDatabaseKnowsTheTargetsAndTheFirstServersTokens() throws Exception {
        p.startServer();
        p.client.register("127.0.0.2", 7071, "/srv/app", 3600);
        Path otherDataDir = dir.resolve("data-2");
        ServerSettings second = new ServerSettings(new InetSocketAddress("127.0.0.1", 0), otherDataDir)
                .withFirstRunDelay(Duration.ofHours(1))
                .withCatalog(location);
        try (BackupServer other = BackupServer.start(second, Clock.systemUTC())) {
            assertFalse(Files.exists(other.adminTokenFile()), "the catalog had a token: no new admin token");
            BackupClient sameToken = BackupClient.of(
                            new HostPort("127.0.0.1", other.address().getPort()), "cli")
                    .withServerFingerprint(other.fingerprint())
                    .withToken(Files.readString(p.server.adminTokenFile()).strip());
            assertEquals(
                    List.of("/srv/app"),
                    sameToken.list().stream().map(t -> t.path()).toList());
            assertTrue(
                    sameToken.audit(0).stream().anyMatch(a -> a.action().equals("register")),
                    "the audit trail of the first server is the second's");
        }
    }
}
