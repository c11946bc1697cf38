package org.clusterbackup.console.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetState;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.testkit.QueuedExecutor;
import org.junit.jupiter.api.Test;

/** The main window's logic, without a window: a fake server and the current thread. */
class ConsoleViewModelTest {
    private static final HostPort SERVER = new HostPort("127.0.0.1", 7070);

    private final FakeGateway server = new FakeGateway();
    private final RecordingDialogs dialogs = new RecordingDialogs();

    private ConsoleViewModel viewModel(Async async, Map<HostPort, ServerGateway> servers) {
        return new ConsoleViewModel(
                SERVER,
                servers::get,
                async,
                dialogs,
                new Formats(ZoneOffset.UTC),
                Clock.fixed(FakeGateway.T0, ZoneOffset.UTC),
                Duration.ofSeconds(5));
    }

    private ConsoleViewModel started() {
        ConsoleViewModel vm = viewModel(Async.currentThread(), Map.of(SERVER, server));
        vm.start();
        return vm;
    }

    @Test
    void startShowsTheServersTargetsAndSaysConnected() {
        server.add("node1", 7071, "/srv/a");
        server.add("node2", 7071, "/srv/b");
        ConsoleViewModel vm = started();
        assertEquals(
                List.of("/srv/a", "/srv/b"),
                vm.targets().rows().stream().map(r -> r.info().path()).toList());
        assertEquals(ConnectionState.CONNECTED, vm.connection().state());
        assertEquals(
                "Connected to 127.0.0.1:7070 · 2 targets · updated 03:04:05",
                vm.connection().statusProperty().get());
        assertEquals("Cluster Backup — 127.0.0.1:7070", vm.titleProperty().get());
    }

    @Test
    void anUnknownServerIsTrustedOnlyWhenTheUserConfirmsItsIdentity() {
        server.add("node1", 7071, "/srv/a");
        org.clusterbackup.core.security.Fingerprint identity =
                new org.clusterbackup.core.security.Fingerprint("SHA256:" + "Q".repeat(43));
        server.unpinned = identity;
        dialogs.confirmAnswer = false;
        ConsoleViewModel vm = started();
        assertEquals(List.of("Trust the server 127.0.0.1:7070?"), dialogs.asked);
        assertEquals(ConnectionState.UNREACHABLE, vm.connection().state());
        assertTrue(
                vm.connection().statusProperty().get().contains(identity.value()),
                vm.connection().statusProperty().get());
        vm.refresh();
        assertEquals(1, dialogs.asked.size(), "a declined identity is not asked about on every refresh");
        assertEquals(List.of(), server.pinned);

        dialogs.confirmAnswer = true;
        vm.connect();
        assertEquals(2, dialogs.asked.size(), "connecting again asks again");
        assertEquals(List.of(identity), server.pinned);
        assertEquals(ConnectionState.CONNECTED, vm.connection().state());
        assertEquals(1, vm.targets().rows().size());
    }

    @Test
    void anUnreachableServerShowsTheReasonKeepsTheRowsAndRecoversOnALaterRefresh() {
        server.add("node1", 7071, "/srv/a");
        ConsoleViewModel vm = started();
        server.unreachable = true;
        vm.refresh();
        assertEquals(ConnectionState.UNREACHABLE, vm.connection().state());
        assertEquals(
                "Unreachable: cannot reach the server 127.0.0.1:7070: connection refused "
                        + "(is backup-server running there?) · retrying every 5s",
                vm.connection().statusProperty().get());
        assertEquals(1, vm.targets().rows().size(), "what was last seen stays on screen");
        assertFalse(vm.canRegisterProperty().get());

        server.unreachable = false;
        server.add("node2", 7071, "/srv/b");
        vm.refresh();
        assertEquals(ConnectionState.CONNECTED, vm.connection().state());
        assertEquals(2, vm.targets().rows().size());
    }

    @Test
    void aRefreshUpdatesRowsInPlaceSoTheSelectionStays() {
        TargetInfo a = server.add("node1", 7071, "/srv/a");
        server.add("node2", 7071, "/srv/b");
        ConsoleViewModel vm = started();
        TargetRow rowA = vm.targets().rows().get(0);
        vm.targets().select(a.id());
        server.targets.put(
                a.id(),
                new TargetInfo(
                        a.id(),
                        a.node(),
                        a.port(),
                        a.path(),
                        a.everySeconds(),
                        a.registeredAt(),
                        TargetState.RETRYING,
                        a.nextRunAt(),
                        Outcome.FAILED,
                        null));
        server.add("node3", 7071, "/srv/c");
        vm.refresh();
        assertSame(rowA, vm.targets().rows().get(0), "the same row object, updated");
        assertEquals(TargetState.RETRYING, rowA.info().state());
        assertSame(rowA, vm.targets().selected());
        assertEquals(3, vm.targets().rows().size());
    }

    @Test
    void aSelectedTargetShowsItsBackupsSizesOldestFirstAndItsLog() {
        TargetInfo a = server.add("node1", 7071, "/srv/a");
        TargetInfo b = server.add("node2", 7071, "/srv/b");
        server.archive(a.id(), 1000, FakeGateway.T0);
        server.archive(a.id(), 3000, FakeGateway.T0.plusSeconds(3600));
        server.execution(a.id(), Outcome.STORED, null);
        server.execution(b.id(), Outcome.FAILED, "node unreachable");
        ConsoleViewModel vm = started();
        assertEquals("Execution log: all targets", vm.log().titleProperty().get());
        assertEquals(2, vm.log().rows().size());

        vm.targets().select(a.id());
        assertEquals(
                "Backups of node1:7071 /srv/a", vm.backups().titleProperty().get());
        assertEquals(
                List.of(3000L, 1000L),
                vm.backups().rows().stream().map(r -> r.info().sizeBytes()).toList());
        assertEquals(
                List.of(1000L, 3000L),
                vm.backups().sizes().stream().map(SizePoint::bytes).toList());
        assertEquals(
                "2 archives, 2 stored (3.9 KiB)", vm.backups().summaryProperty().get());
        assertEquals(
                "Execution log of node1:7071 /srv/a", vm.log().titleProperty().get());
        assertEquals(
                List.of(a.id()),
                vm.log().rows().stream().map(r -> r.info().targetId()).toList());

        vm.log().onlySelectedProperty().set(false);
        assertEquals(2, vm.log().rows().size());
        assertEquals("Execution log: all targets", vm.log().titleProperty().get());
    }

    @Test
    void listsAreTheSameObjectsOnEveryCallSoListenersOnThemLive() {
        // A read-only view made per call is held by nobody: it and the listeners on it would be collected,
        // and the chart stopped updating (found in the screenshot, not by a test).
        ConsoleViewModel vm = started();
        assertSame(vm.backups().sizes(), vm.backups().sizes());
        assertSame(vm.backups().rows(), vm.backups().rows());
        assertSame(vm.log().rows(), vm.log().rows());
        assertSame(vm.targets().rows(), vm.targets().rows());
    }

    @Test
    void aSecondRefreshWhileOneIsInFlightWaitsForIt() {
        server.add("node1", 7071, "/srv/a");
        QueuedExecutor background = new QueuedExecutor();
        ConsoleViewModel vm = viewModel(new Async(background, Runnable::run), Map.of(SERVER, server));
        vm.start();
        vm.refresh();
        vm.refresh();
        assertEquals(1, background.pending(), "one request at a time");
        background.runNext();
        assertEquals(1, background.pending(), "then exactly one more, for the refreshes asked meanwhile");
        background.runAll();
        assertEquals(2, server.requests.stream().filter(r -> r.equals("list")).count());
    }

    @Test
    void anAnswerFromTheServerShownBeforeAConnectIsDropped() {
        HostPort other = new HostPort("127.0.0.1", 7171);
        FakeGateway second = new FakeGateway();
        server.add("old", 7071, "/srv/old");
        second.add("new", 7071, "/srv/new");
        QueuedExecutor background = new QueuedExecutor();
        ConsoleViewModel vm = viewModel(new Async(background, Runnable::run), Map.of(SERVER, server, other, second));
        vm.start();
        vm.connection().addressProperty().set("127.0.0.1:7171");
        vm.connect();
        background.runAll();
        assertEquals(
                List.of("/srv/new"),
                vm.targets().rows().stream().map(r -> r.info().path()).toList());
        assertEquals("Cluster Backup — 127.0.0.1:7171", vm.titleProperty().get());
    }

    @Test
    void anInvalidAddressIsRefusedWithTheCoreMessageAndTheServerStays() {
        ConsoleViewModel vm = started();
        vm.connection().addressProperty().set("localhost:99999");
        vm.connect();
        assertEquals(
                "server address 'localhost:99999': port 99999 is outside 1-65535",
                vm.connection().addressErrorProperty().get());
        assertEquals(SERVER, vm.connection().serverProperty().get());
        assertEquals(ConnectionState.CONNECTED, vm.connection().state());
    }

    @Test
    void unregisterAsksFirstNamingNodeAndPathAndSendsNothingWhenDeclined() {
        TargetInfo a = server.add("node1", 7071, "/srv/a");
        ConsoleViewModel vm = started();
        vm.targets().select(a.id());
        dialogs.confirmAnswer = false;
        vm.unregister();
        assertEquals(List.of("Unregister /srv/a on node1:7071?"), dialogs.asked);
        assertTrue(server.requests.stream().noneMatch(r -> r.startsWith("unregister")), server.requests.toString());
        assertEquals(1, vm.targets().rows().size());
    }

    @Test
    void unregisterOnceConfirmedRemovesTheTargetAndSaysSo() {
        TargetInfo a = server.add("node1", 7071, "/srv/a");
        ConsoleViewModel vm = started();
        vm.targets().select(a.id());
        dialogs.confirmAnswer = true;
        vm.unregister();
        assertTrue(vm.targets().rows().isEmpty());
        assertNull(vm.targets().selected());
        assertEquals("Unregistered node1:7071 /srv/a", vm.messageProperty().get());
        assertEquals("Backups: select a target", vm.backups().titleProperty().get());
    }

    @Test
    void runNowShowsProgressThenTheOutcomeAndTheNewBackup() {
        TargetInfo a = server.add("node1", 7071, "/srv/a");
        QueuedExecutor background = new QueuedExecutor();
        ConsoleViewModel vm = viewModel(new Async(background, Runnable::run), Map.of(SERVER, server));
        vm.start();
        background.runAll();
        vm.targets().select(a.id());
        background.runAll();

        vm.runNow();
        assertTrue(vm.busyProperty().get());
        assertEquals(
                "Running backup of node1:7071 /srv/a…", vm.activityProperty().get());
        assertFalse(vm.canRunProperty().get(), "one manual run of a target at a time");
        background.runAll();
        assertFalse(vm.busyProperty().get());
        assertEquals("", vm.activityProperty().get());
        assertEquals(
                "Backup of node1:7071 /srv/a: STORED, 3 files, 1.2 KiB received in 1.0 s",
                vm.messageProperty().get());
        assertFalse(vm.messageIsErrorProperty().get());
        assertEquals(
                List.of(4096L),
                vm.backups().rows().stream().map(r -> r.info().sizeBytes()).toList());
    }

    @Test
    void aFailedRunIsReportedAsAnErrorWithItsReason() {
        TargetInfo a = server.add("node1", 7071, "/srv/a");
        ConsoleViewModel vm = started();
        vm.targets().select(a.id());
        server.nextOutcome = Outcome.FAILED;
        vm.runNow();
        assertEquals(
                "Backup of node1:7071 /srv/a: FAILED: path /srv/a is outside the agent's --allow dirs",
                vm.messageProperty().get());
        assertTrue(vm.messageIsErrorProperty().get());
        assertEquals(Outcome.FAILED, vm.log().rows().get(0).info().outcome());
    }

    @Test
    void aRegisteredTargetIsSelectedOnceListed() {
        server.add("node1", 7071, "/srv/a");
        ConsoleViewModel vm = started();
        dialogs.registerForm = form -> {
            form.nodeProperty().set("node9");
            form.pathProperty().set("/srv/new/");
            form.everyProperty().set("30s");
            assertTrue(form.submit());
        };
        vm.register();
        assertEquals("/srv/new", vm.targets().selected().info().path());
        assertEquals(
                "Registered node9:7071 /srv/new, every 30s",
                vm.messageProperty().get());
        assertEquals(
                "Backups of node9:7071 /srv/new", vm.backups().titleProperty().get());
    }

    @Test
    void theFilterKeepsTargetsContainingEveryWord() {
        server.add("node1", 7071, "/srv/app");
        server.add("node2", 7071, "/srv/app");
        server.add("node2", 7071, "/var/db");
        ConsoleViewModel vm = started();
        vm.targets().filterProperty().set("NODE2 app");
        assertEquals(
                List.of("node2"),
                vm.targets().filtered().stream().map(r -> r.info().node()).toList());
        vm.targets().filterProperty().set("");
        assertEquals(3, vm.targets().filtered().size());
    }
}
