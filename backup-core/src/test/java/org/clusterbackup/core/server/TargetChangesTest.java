package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.client.BulkTargets;
import org.clusterbackup.core.client.TargetChanges;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.TargetChangesRequest;
import org.clusterbackup.core.protocol.TargetCursor;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.protocol.TargetLine;
import org.clusterbackup.core.server.api.BackupServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The targets' change cursor end to end: a real server, its catalog, the client's call. */
class TargetChangesTest {
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

    private void register(int from, int to) throws IOException {
        List<TargetLine> lines = IntStream.range(from, to)
                .mapToObj(i -> new TargetLine("127.0.0.2", 1024 + i, "/srv/t" + i, 3600L))
                .toList();
        new BulkTargets(client, 1000).register(lines);
    }

    private static List<Long> ids(List<TargetInfo> targets) {
        return targets.stream().map(TargetInfo::id).toList();
    }

    @Test
    void theFirstRefreshIsEverythingAndTheNextOnlyWhatChanged() throws Exception {
        register(0, 1200); // several pages
        TargetChanges first = client.targetChanges(null, List.of());
        assertTrue(first.reset());
        assertEquals(client.list(), first.changed(), "everything, as list shows it");

        TargetChanges quiet = client.targetChanges(first.cursor(), List.of());
        assertFalse(quiet.reset());
        assertEquals(List.of(), quiet.changed(), "nothing changed");
        assertEquals(List.of(), quiet.removed());

        client.unregister(new TargetSelector("127.0.0.2", "/srv/t3", 1027));
        register(1200, 1800); // more than a page of changes
        TargetChanges later = client.targetChanges(quiet.cursor(), List.of());
        assertFalse(later.reset());
        assertEquals(600, later.changed().size());
        assertEquals(ids(client.list()).subList(1199, 1799), ids(later.changed()), "the new ones, in order");
        assertEquals(List.of(first.changed().get(3).id()), later.removed(), "the unregistered one");

        assertEquals(List.of(), client.targetChanges(later.cursor(), List.of()).changed());
    }

    @Test
    void aRunStartingAndEndingIsAChange() throws Exception {
        register(0, 3);
        TargetChanges first = client.targetChanges(null, List.of());
        TargetInfo t = first.changed().get(1);
        // Nothing listens on the target's port: the run fails at once, and is logged.
        assertEquals(
                Outcome.FAILED,
                client.run(new TargetSelector(t.node(), t.path(), t.port())).outcome());
        TargetChanges after = client.targetChanges(first.cursor(), List.of());
        assertEquals(List.of(t.id()), ids(after.changed()));
        assertEquals(Outcome.FAILED, after.changed().get(0).lastOutcome());
    }

    @Test
    void rechecksAnswerUnchangedTargetsAfreshAndUnknownOnesAsRemoved() throws Exception {
        register(0, 3);
        TargetChanges first = client.targetChanges(null, List.of());
        long known = first.changed().get(2).id();
        TargetChanges rechecked = client.targetChanges(first.cursor(), List.of(known, 999_999L));
        assertEquals(List.of(known), ids(rechecked.changed()));
        assertEquals(List.of(999_999L), rechecked.removed());
    }

    @Test
    void aCursorFromAnotherRunOfTheServerGetsEverythingAnew() throws Exception {
        register(0, 2);
        TargetChanges first = client.targetChanges(null, List.of());
        TargetChanges stranger = client.targetChanges(
                new TargetCursor("another-run", first.cursor().sequence()), List.of());
        assertTrue(stranger.reset());
        assertEquals(first.changed(), stranger.changed());
        TargetChanges ahead = client.targetChanges(
                new TargetCursor(first.cursor().epoch(), first.cursor().sequence() + 10), List.of());
        assertTrue(ahead.reset(), "a cursor beyond the catalog's stamps (another catalog) is not trusted");
    }

    @Test
    void tooManyRechecksAreRefusedWithAReason() throws Exception {
        List<Long> many = Collections.nCopies(TargetChangesRequest.MAX_RECHECK + 1, 1L);
        RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> client.targetChanges(null, many));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertTrue(e.getMessage().contains("at most 1000"), e.getMessage());
    }
}
