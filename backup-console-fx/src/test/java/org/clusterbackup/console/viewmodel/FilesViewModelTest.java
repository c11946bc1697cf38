package org.clusterbackup.console.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ChangePage;
import org.clusterbackup.core.protocol.FileInfo;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.testkit.QueuedExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Files… and Changes… windows of an archive, without a window: a fake server and a queue the test runs. */
class FilesViewModelTest {
    private static final HostPort SERVER = new HostPort("127.0.0.1", 7070);

    @TempDir
    Path dir;

    private final FakeGateway server = new FakeGateway();
    private final RecordingDialogs dialogs = new RecordingDialogs();
    private final QueuedExecutor background = new QueuedExecutor();
    private ArchiveInfo archive;
    private ConsoleViewModel console;

    @BeforeEach
    void setUp() {
        TargetInfo shop = server.add("node1", 7071, "/srv/shop");
        archive = server.archive(shop.id(), 100_000, FakeGateway.T0);
        server.files.put(
                archive.id(),
                List.of(
                        new FileInfo("conf", "dir", 0, 0755, FakeGateway.T0, null, null),
                        new FileInfo("conf/app.conf", "file", 5000, 0640, FakeGateway.T0, "ab".repeat(32), null),
                        new FileInfo("current", "symlink", 0, 0777, FakeGateway.T0, null, "conf"),
                        new FileInfo("data/Orders.csv", "file", 70_000, 0644, FakeGateway.T0, "cd".repeat(32), null)));
        console = new ConsoleViewModel(
                SERVER,
                Map.of(SERVER, server)::get,
                new Async(background, Runnable::run),
                dialogs,
                new Formats(ZoneOffset.UTC),
                Clock.fixed(FakeGateway.T0, ZoneOffset.UTC),
                Duration.ofSeconds(5));
        console.start();
        background.runAll();
        console.targets().select(shop.id());
        background.runAll();
        console.backups().select(archive.id());
    }

    private FilesViewModel open() {
        assertTrue(console.canShowFilesProperty().get());
        console.showFiles();
        FilesViewModel files = dialogs.lastFiles;
        assertEquals("Files of archive " + archive.id(), files.title());
        assertEquals(
                "Loading the entries of archive " + archive.id() + "…",
                files.messageProperty().get());
        background.runAll();
        return files;
    }

    private static FileRow row(FilesViewModel files, String path) {
        return files.rows().stream()
                .filter(r -> r.info().path().equals(path))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void filesShowsEveryEntryInArchiveOrderWithSizeModeAndTime() {
        FilesViewModel files = open();

        assertEquals(
                List.of(
                        new FileRow(null, "conf", "dir", "", "0755", "2026-01-02 03:04:05"),
                        new FileRow(null, "conf/app.conf", "file", "4.9 KiB", "0640", "2026-01-02 03:04:05"),
                        new FileRow(null, "current -> conf", "symlink", "", "0777", "2026-01-02 03:04:05"),
                        new FileRow(null, "data/Orders.csv", "file", "68.4 KiB", "0644", "2026-01-02 03:04:05")),
                files.rows().stream()
                        .map(r -> new FileRow(null, r.path(), r.type(), r.size(), r.mode(), r.mtime()))
                        .toList());
        assertEquals("4 entries", files.messageProperty().get());
        assertEquals(
                List.of("files " + archive.id()),
                server.requests.subList(server.requests.size() - 1, server.requests.size()));
    }

    @Test
    void filterNarrowsByPathIgnoringCaseAndDropsAHiddenSelection() {
        FilesViewModel files = open();
        files.selectedProperty().set(row(files, "current"));

        files.filterProperty().set("orders");

        assertEquals(
                List.of("data/Orders.csv"),
                files.rows().stream().map(r -> r.info().path()).toList());
        assertEquals("1 of 4 entries shown", files.messageProperty().get());
        assertNull(files.selectedProperty().get());
        files.filterProperty().set("");
        assertEquals(4, files.rows().size());
    }

    @Test
    void onlyARegularFileCanBeDownloaded() {
        FilesViewModel files = open();
        assertFalse(files.canDownloadProperty().get());
        files.selectedProperty().set(row(files, "conf"));
        assertFalse(files.canDownloadProperty().get());
        files.selectedProperty().set(row(files, "current"));
        assertFalse(files.canDownloadProperty().get());
        files.selectedProperty().set(row(files, "conf/app.conf"));
        assertTrue(files.canDownloadProperty().get());
    }

    @Test
    void downloadFileAsksWhereShowsProgressThenTheSha256ItChecked() {
        FilesViewModel files = open();
        files.selectedProperty().set(row(files, "data/Orders.csv"));
        Path file = dir.resolve("Orders.csv");
        dialogs.saveAnswer = Optional.of(file);

        files.downloadSelected();

        assertEquals("Orders.csv", dialogs.suggestedName);
        assertTrue(files.downloadStatus().active());
        assertEquals(
                "Downloading data/Orders.csv of archive " + archive.id() + ": 0 B of 68.4 KiB (0%)",
                files.downloadStatus().textProperty().get());
        assertFalse(files.canDownloadProperty().get(), "one download at a time");
        background.runAll();
        assertFalse(files.downloadStatus().active());
        assertEquals(
                "Downloaded data/Orders.csv to " + file + ": 68.4 KiB, sha256 " + "cd".repeat(32) + " checked",
                files.messageProperty().get());
        assertEquals(70_000, file.toFile().length());
    }

    @Test
    void downloadFromADamagedArchiveWritesNothingAndSaysWhy() {
        server.damaged.add(archive.id());
        FilesViewModel files = open();
        files.selectedProperty().set(row(files, "conf/app.conf"));
        Path file = dir.resolve("app.conf");
        dialogs.saveAnswer = Optional.of(file);

        files.downloadSelected();
        background.runAll();

        assertTrue(files.messageIsErrorProperty().get());
        assertEquals(
                "Download of conf/app.conf failed, nothing written to " + file + ": archive " + archive.id()
                        + " is damaged: segment 2 has CRC-32 1234, 5678 was declared",
                files.messageProperty().get());
        assertFalse(Files.exists(file));
    }

    @Test
    void archiveWithoutAnIndexSaysSoInsteadOfAnEmptyList() {
        server.files.remove(archive.id());

        FilesViewModel files = open();

        assertTrue(files.rows().isEmpty());
        assertTrue(files.messageIsErrorProperty().get());
        assertEquals(
                "Cannot list the files of archive " + archive.id() + ": archive " + archive.id()
                        + " has no index: it was stored before archives were indexed (fetch and restore it whole)",
                files.messageProperty().get());
    }

    @Test
    void filesIsOffForAPrunedArchive() {
        server.prune(archive.id());
        console.refresh();
        background.runAll();
        assertFalse(console.canShowFilesProperty().get());
    }

    private ChangesViewModel openChanges() {
        assertTrue(console.canShowFilesProperty().get());
        console.showChanges();
        ChangesViewModel changes = dialogs.lastChanges;
        assertEquals("Changes in archive " + archive.id(), changes.title());
        assertEquals(
                "Comparing archive " + archive.id() + " with the one before it…",
                changes.messageProperty().get());
        background.runAll();
        return changes;
    }

    @Test
    void changesListsWhatTheServerComparedInItsOrder() {
        List<ChangePage.Change> expected = List.of(
                new ChangePage.Change("conf/app.conf", "modified"),
                new ChangePage.Change("data/new.csv", "added"),
                new ChangePage.Change("old.log", "removed"));
        server.changes.put(archive.id(), expected);

        ChangesViewModel changes = openChanges();

        assertEquals(expected, List.copyOf(changes.rows()));
        assertEquals("3 changes", changes.messageProperty().get());
        assertFalse(changes.messageIsErrorProperty().get());
    }

    @Test
    void theOldestArchiveSaysThereIsNothingToCompareWith() {
        ChangesViewModel changes = openChanges();

        assertTrue(changes.rows().isEmpty());
        assertTrue(changes.messageIsErrorProperty().get());
        assertTrue(
                changes.messageProperty().get().contains("nothing to compare it with"),
                changes.messageProperty().get());
    }
}
