package org.clusterbackup.console.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.testkit.QueuedExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Download… and Verify on the backups pane, without a window: a fake server and the current thread. */
class ArchiveActionsTest {
    private static final HostPort SERVER = new HostPort("127.0.0.1", 7070);

    @TempDir
    Path dir;

    private final FakeGateway server = new FakeGateway();
    private final RecordingDialogs dialogs = new RecordingDialogs();
    private final QueuedExecutor background = new QueuedExecutor();
    private TargetInfo shop;
    private ArchiveInfo older;
    private ArchiveInfo newer;
    private ConsoleViewModel vm;

    @BeforeEach
    void setUp() {
        shop = server.add("node1", 7071, "/srv/shop");
        older = server.archive(shop.id(), 4096, FakeGateway.T0);
        newer = server.archive(shop.id(), 100_000, FakeGateway.T0.plusSeconds(3600));
        // Work waits in the queue until the test runs it: "in progress" is a state the test can look at.
        vm = new ConsoleViewModel(
                SERVER,
                Map.of(SERVER, server)::get,
                new Async(background, Runnable::run),
                dialogs,
                new Formats(ZoneOffset.UTC),
                Clock.fixed(FakeGateway.T0, ZoneOffset.UTC),
                Duration.ofSeconds(5));
        vm.start();
        background.runAll();
        vm.targets().select(shop.id());
        background.runAll();
    }

    private void selectArchive(ArchiveInfo a) {
        vm.backups().select(a.id());
        assertEquals(a.id(), vm.backups().selected().id());
    }

    @Test
    void downloadAsksWhereSuggestingANameThenReportsTheSizeAndTheSha256ItChecked() {
        selectArchive(older);
        Path file = dir.resolve("copy.tgz");
        dialogs.saveAnswer = Optional.of(file);
        vm.download();
        background.runAll();
        assertEquals(List.of("Download archive " + older.id()), dialogs.asked);
        assertEquals("shop-" + older.id() + ".tgz", dialogs.suggestedName);
        assertEquals(
                "Downloaded archive " + older.id() + " to " + file + ": 4.0 KiB, sha256 " + "ab".repeat(32)
                        + " checked",
                vm.messageProperty().get());
        assertFalse(vm.messageIsErrorProperty().get());
        assertTrue(Files.exists(file));
        assertFalse(vm.downloadStatus().active());
        assertTrue(vm.canDownloadProperty().get(), "ready for the next one");
    }

    @Test
    void progressShowsWhileItRunsAndReachesTheScreenOnlyWhenThePercentChanges() {
        selectArchive(newer);
        server.chunk = 100; // a thousand reports for 100 000 bytes
        dialogs.saveAnswer = Optional.of(dir.resolve("copy.tgz"));
        List<String> shown = new ArrayList<>();
        vm.downloadStatus().textProperty().addListener((o, was, now) -> shown.add(now));
        vm.download();
        assertTrue(vm.downloadStatus().active());
        assertFalse(vm.canDownloadProperty().get(), "one download at a time");
        assertEquals(
                "Downloading archive " + newer.id() + ": 0 B of 97.7 KiB (0%)",
                vm.downloadStatus().textProperty().get());

        background.runAll();
        assertEquals(1 + 100 + 1, shown.size(), "the start, each percent once, the end: " + shown.size());
        assertEquals("Downloading archive " + newer.id() + ": 1000 B of 97.7 KiB (1%)", shown.get(1));
        assertEquals("Downloading archive " + newer.id() + ": 97.7 KiB of 97.7 KiB (100%)", shown.get(100));
        assertEquals("", shown.get(101));
        assertFalse(vm.downloadStatus().active());
    }

    @Test
    void aDamagedArchiveIsAnErrorAndNothingIsWritten() {
        selectArchive(older);
        server.damaged.add(older.id());
        Path file = dir.resolve("copy.tgz");
        dialogs.saveAnswer = Optional.of(file);
        vm.download();
        background.runAll();
        String message = vm.messageProperty().get();
        assertTrue(
                message.startsWith("Download of archive " + older.id() + " failed, nothing written to " + file
                        + ": the archive is damaged: archive " + older.id() + " arrived as 4096 bytes with sha256 "),
                message);
        assertTrue(vm.messageIsErrorProperty().get());
        assertFalse(Files.exists(file));
        assertFalse(vm.downloadStatus().active());
    }

    @Test
    void aPrunedRowCannotBeDownloadedAndOnePrunedMeanwhileSaysSo() {
        selectArchive(older);
        assertTrue(vm.canDownloadProperty().get());
        server.prune(older.id()); // the console has not refreshed yet
        Path file = dir.resolve("copy.tgz");
        dialogs.saveAnswer = Optional.of(file);
        vm.download();
        background.runAll();
        assertEquals(
                "Download of archive " + older.id() + " failed, nothing written to " + file + ": archive " + older.id()
                        + " was pruned by retention at 2026-01-02T04:00:00Z; its file is gone",
                vm.messageProperty().get());
        assertTrue(vm.messageIsErrorProperty().get());
        assertEquals("pruned", ArchiveRow.state(vm.backups().selected().info()), "the failure refreshed the row");
        assertFalse(vm.canDownloadProperty().get());

        dialogs.asked.clear();
        vm.download();
        assertEquals(List.of(), dialogs.asked, "no dialog for a pruned archive");
    }

    @Test
    void anUnreachableServerIsReportedWithItsReason() {
        selectArchive(older);
        Path file = dir.resolve("copy.tgz");
        dialogs.saveAnswer = Optional.of(file);
        server.unreachable = true;
        vm.download();
        background.runAll();
        assertEquals(
                "Download of archive " + older.id() + " failed, nothing written to " + file
                        + ": cannot reach the server 127.0.0.1:7070: connection refused (is backup-server running there?)",
                vm.messageProperty().get());
        assertTrue(vm.messageIsErrorProperty().get());
    }

    @Test
    void cancellingTheSaveDialogSendsNothing() {
        selectArchive(older);
        dialogs.saveAnswer = Optional.empty();
        vm.download();
        assertEquals(0, background.pending());
        assertTrue(server.requests.stream().noneMatch(r -> r.startsWith("download")), server.requests.toString());
        assertFalse(vm.downloadStatus().active());
    }

    @Test
    void verifyOfASoundTargetShowsItRunningThenSaysAllSound() {
        vm.verify();
        assertTrue(vm.busyProperty().get());
        assertEquals(
                "Verifying backups of node1:7071 /srv/shop…",
                vm.activityProperty().get());
        assertFalse(vm.canVerifyProperty().get(), "one verify at a time");
        background.runAll();
        assertEquals(
                "2 archives of node1:7071 /srv/shop verified, all sound",
                vm.messageProperty().get());
        assertFalse(vm.messageIsErrorProperty().get());
        assertFalse(vm.busyProperty().get());
        assertEquals("", vm.activityProperty().get());
    }

    @Test
    void verifySaysWhichArchiveIsDamagedAndWhyAndItsRowShowsCorrupt() {
        server.damaged.add(older.id());
        vm.verify();
        background.runAll();
        assertEquals(
                "1 of 2 archives of node1:7071 /srv/shop damaged: archive " + older.id() + ": sha256 of /data/"
                        + older.id() + ".tgz is not the catalog's",
                vm.messageProperty().get());
        assertTrue(vm.messageIsErrorProperty().get());
        assertEquals(
                List.of("stored", "corrupt"),
                vm.backups().rows().stream()
                        .map(r -> ArchiveRow.state(r.info()))
                        .toList());
    }

    @Test
    void verifyArchiveChecksOnlyTheSelectedOne() {
        selectArchive(newer);
        server.damaged.add(newer.id());
        vm.verifyArchive();
        background.runAll();
        assertTrue(server.requests.contains("verify archive " + newer.id()), server.requests.toString());
        assertEquals(
                "Archive " + newer.id() + " is damaged: sha256 of /data/" + newer.id() + ".tgz is not the catalog's",
                vm.messageProperty().get());
        assertEquals("corrupt", ArchiveRow.state(vm.backups().selected().info()));
    }

    @Test
    void aVerifyThatCannotReachTheServerSaysSo() {
        server.unreachable = true;
        vm.verify();
        background.runAll();
        assertEquals(
                "Could not verify backups of node1:7071 /srv/shop: cannot reach the server 127.0.0.1:7070: "
                        + "connection refused (is backup-server running there?)",
                vm.messageProperty().get());
        assertTrue(vm.messageIsErrorProperty().get());
        assertEquals(ConnectionState.UNREACHABLE, vm.connection().state(), "the refresh after it finds out too");
        assertTrue(vm.messageIsErrorProperty().get());
    }
}
