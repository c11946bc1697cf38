package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.client.BulkTargets;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.model.TargetState;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.RegisterBatchReply;
import org.clusterbackup.core.protocol.RegisterBatchRequest;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.protocol.TargetLine;
import org.clusterbackup.core.protocol.UnregisterBatchReply;
import org.clusterbackup.core.server.api.BackupServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchRegistrationTest {
    @TempDir
    Path dataDir;

    private BackupServer server;
    private BackupClient client;

    @BeforeEach
    void start() throws IOException {
        server = Pipeline.idleServer(dataDir);
        client = Pipeline.adminOf(server);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private static List<TargetLine> targets(int n, long everySeconds) {
        return IntStream.rangeClosed(1, n)
                .mapToObj(i -> new TargetLine("127.0.0.2", 7000 + i, "/srv/t" + i, everySeconds))
                .toList();
    }

    @Test
    void batchesOverOneConnectionRegisterAndScheduleEveryTarget() throws Exception {
        RegisterBatchReply done = new BulkTargets(client, 2).register(targets(5, 60));
        assertEquals(new RegisterBatchReply(5, 0, 0), done);
        List<TargetInfo> listed = client.list();
        assertEquals(5, listed.size());
        assertTrue(listed.stream().allMatch(t -> t.state() == TargetState.SCHEDULED), listed.toString());
    }

    @Test
    void theSameTargetsAgainAreUnchangedAndUnregisteredOnesReactivated() throws Exception {
        BulkTargets bulk = new BulkTargets(client, 2);
        bulk.register(targets(4, 60));
        client.unregister(new TargetSelector("127.0.0.2", "/srv/t2", 7002));
        long id = client.list().get(0).id();
        assertEquals(new RegisterBatchReply(0, 1, 3), bulk.register(targets(4, 60)));
        assertEquals(4, client.list().size());
        assertEquals(id, client.list().get(0).id(), "ids stay");
    }

    @Test
    void aTargetRegisteredWithAnotherFrequencyRefusesItsWholeBatch() throws Exception {
        BulkTargets bulk = new BulkTargets(client, 10);
        bulk.register(targets(1, 60));
        List<TargetLine> batch = new ArrayList<>(targets(3, 60).subList(1, 3));
        batch.add(new TargetLine("127.0.0.2", 7001, "/srv/t1", 120L));
        RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> bulk.register(batch));
        assertEquals(ErrorCode.DUPLICATE, e.code());
        assertTrue(e.getMessage().contains("/srv/t1") && e.getMessage().contains("every 1m"), e.getMessage());
        assertEquals(1, client.list().size(), "nothing of the refused batch was written");
    }

    @Test
    void unregisteringCountsWhatWasNotRegistered() throws Exception {
        BulkTargets bulk = new BulkTargets(client, 2);
        bulk.register(targets(3, 60));
        List<TargetLine> gone = new ArrayList<>(targets(3, 60).subList(0, 2));
        gone.add(new TargetLine("127.0.0.9", 7001, "/nowhere", null));
        assertEquals(new UnregisterBatchReply(2, 1), bulk.unregister(gone));
        assertEquals(new UnregisterBatchReply(0, 3), bulk.unregister(gone), "again: nothing left to do");
        assertEquals(1, client.list().size());
    }

    @Test
    void longPathsAreSentInBatchesUnderTheServersRequestLimit() throws Exception {
        List<TargetLine> longPaths = IntStream.rangeClosed(1, 100)
                .mapToObj(i -> new TargetLine("127.0.0.2", 7000 + i, "/srv/" + "x".repeat(2000) + "/" + i, 60L))
                .toList();
        assertEquals(new RegisterBatchReply(100, 0, 0), new BulkTargets(client).register(longPaths));
        assertEquals(100, client.list().size());
    }

    @Test
    void aBatchOverTheCapIsRefusedWholeAndTheConnectionServesOn() throws Exception {
        try (BlockingConnection c = TestPeers.dialServer(
                server, "cli", Duration.ofSeconds(5), Duration.ofSeconds(30), ProtocolLimits.DEFAULT)) {
            // short entries, so that the frame is within the request limit and the count is what is refused
            c.send(new RegisterBatchRequest(IntStream.rangeClosed(1, RegisterBatchRequest.MAX_TARGETS + 1)
                    .mapToObj(i -> new TargetLine("h", 1 + i, "/" + i, 60L))
                    .toList()));
            ErrorReply refused = c.expect(ErrorReply.class);
            assertEquals(ErrorCode.BAD_REQUEST, refused.code(), refused.message());
            assertTrue(refused.message().contains("smaller batches"), refused.message());
            c.send(new RegisterBatchRequest(targets(2, 60)));
            assertEquals(new RegisterBatchReply(2, 0, 0), c.expect(RegisterBatchReply.class));
        }
        assertEquals(2, client.list().size());
    }

    @Test
    void aBadTargetInABatchIsNamedByItsPlaceAndNothingIsWritten() throws Exception {
        List<TargetLine> batch = new ArrayList<>(targets(2, 60));
        batch.add(new TargetLine("127.0.0.2", 7100, "relative/path", 60L));
        RemoteErrorException e =
                assertThrows(RemoteErrorException.class, () -> new BulkTargets(client).register(batch));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertTrue(e.getMessage().startsWith("target 3 of the batch: "), e.getMessage());
        assertTrue(client.list().isEmpty());
    }
}
