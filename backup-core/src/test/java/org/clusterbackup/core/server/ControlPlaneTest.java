package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.client.UnreachableException;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.model.TargetState;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneTest {
    @TempDir
    Path dataDir;

    private BackupServer server;

    private BackupClient start() throws IOException {
        server = BackupServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dataDir)
                        .withFirstRunDelay(java.time.Duration.ofHours(1)),
                Clock.systemUTC());
        return client();
    }

    private BackupClient client() throws IOException {
        return Pipeline.adminOf(server);
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void registerListUnregisterOverLoopback() throws Exception {
        BackupClient client = start();
        TargetInfo t = client.register("127.0.0.2", 7071, "/srv/app", 300);
        assertEquals(300, t.everySeconds());
        List<TargetInfo> listed = client.list();
        assertEquals(List.of(t), registrations(listed));
        assertEquals(TargetState.SCHEDULED, listed.get(0).state());
        assertTrue(listed.get(0).nextRunAt().isAfter(t.registeredAt()), "first run held back by the test settings");
        assertEquals(null, listed.get(0).lastOutcome());
        TargetInfo gone = client.unregister(new TargetSelector("127.0.0.2", "/srv/app", null));
        assertEquals(t.id(), gone.id());
        assertTrue(client.list().isEmpty());
    }

    /** The registration part of listed targets, as register returns it. */
    private static List<TargetInfo> registrations(List<TargetInfo> listed) {
        return listed.stream()
                .map(i -> new TargetInfo(i.id(), i.node(), i.port(), i.path(), i.everySeconds(), i.registeredAt()))
                .toList();
    }

    @Test
    void aDuplicateIsRefused() throws Exception {
        BackupClient client = start();
        client.register("127.0.0.2", 7071, "/srv/app", 300);
        RemoteErrorException e =
                assertThrows(RemoteErrorException.class, () -> client.register("127.0.0.2", 7071, "/srv/app", 300));
        assertEquals(ErrorCode.DUPLICATE, e.code());
    }

    @Test
    void theServerValidatesRequestsItself() throws Exception {
        BackupClient client = start();
        RemoteErrorException e = assertThrows(
                RemoteErrorException.class, () -> client.register("127.0.0.2", 7071, "relative/path", 300));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertTrue(e.getMessage().contains("relative/path"), e.getMessage());
        assertThrows(RemoteErrorException.class, () -> client.register("127.0.0.2", 0, "/srv", 300));
        assertThrows(RemoteErrorException.class, () -> client.register("127.0.0.2", 7071, "/srv", 0));
        assertTrue(client.list().isEmpty());
    }

    @Test
    void aListLongerThanOnePageArrivesWhole() throws Exception {
        BackupClient client = start();
        int n = 2 * ControlHandler.PAGE_SIZE + 17;
        for (int i = 0; i < n; i++) {
            client.register("127.0.0.2", 7071, "/srv/app" + i, 300);
        }
        assertEquals(n, client.list().size());
    }

    @Test
    void aMegabyteOfGarbageLeavesTheServerServingTheNextClient() throws Exception {
        BackupClient client = start();
        byte[] garbage = new byte[1 << 20];
        new Random(3).nextBytes(garbage);
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            OutputStream out = s.getOutputStream();
            try {
                out.write(garbage);
            } catch (IOException closedEarly) {
                // the server hung up on us before we were done: expected
            }
        }
        client.register("127.0.0.2", 7071, "/srv/app", 300);
        assertEquals(1, client.list().size());
    }

    @Test
    void registrationsSurviveARestartOnTheSameDataDir() throws Exception {
        TargetInfo t = start().register("127.0.0.2", 7071, "/srv/app", 300);
        server.close();
        server = BackupServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dataDir)
                        .withFirstRunDelay(java.time.Duration.ofHours(1)),
                Clock.systemUTC());
        assertEquals(List.of(t), registrations(client().list()));
    }

    @Test
    void twoServersCannotShareADataDir() throws Exception {
        start();
        IOException e = assertThrows(
                IOException.class,
                () -> BackupServer.start(
                        new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dataDir)
                                .withFirstRunDelay(java.time.Duration.ofHours(1)),
                        Clock.systemUTC()));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }

    @Test
    void aServerThatIsNotThereIsReportedUnreachable() throws Exception {
        start();
        int port = server.address().getPort();
        server.close();
        server = null;
        UnreachableException e = assertThrows(
                UnreachableException.class,
                () -> BackupClient.of(new HostPort("127.0.0.1", port), "cli").list());
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }
}
