package org.clusterbackup.console.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javafx.css.PseudoClass;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import org.clusterbackup.console.LiveBackup;
import org.clusterbackup.core.model.Display;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.TargetInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Download… and Verify in the window, against a real server and agent: the file on disk, the archive on the
 * server damaged by hand, and what the screen says about both.
 */
class ArchiveActionsWindowTest {
    @TempDir
    Path dir;

    private LiveBackup live;
    private ConsoleUi ui;
    private Path app;
    private ArchiveInfo archive;
    private Path downloads;
    private HoldableDownloads gateway;

    @BeforeEach
    void open() throws IOException, TimeoutException {
        live = new LiveBackup(dir);
        app = live.app("shop", 300_000);
        TargetInfo t = live.register(app);
        TargetSelector target = new TargetSelector(t.node(), t.path(), t.port());
        assertEquals(Outcome.STORED, live.client().run(target).outcome());
        archive = live.client().backups(target).get(0);
        downloads = Files.createDirectories(dir.resolve("downloads"));
        ui = ConsoleUi.open(live, server -> gateway = new HoldableDownloads(live.gateway(server)));
        ui.selectTarget(app.toString());
    }

    @AfterEach
    void close() throws IOException, TimeoutException {
        try {
            ui.close();
        } finally {
            live.close();
        }
    }

    @Test
    void downloadWritesTheCheckedArchiveVerifyFindsDamageAndTheDamagedOneIsNotWritten() throws Exception {
        assertTrue(disabled("#downloadButton"), "no archive selected yet");
        ui.selectArchive(archive.id());
        Path copy = downloads.resolve("copy.tgz");
        ui.saveAs(copy);
        ui.clickOn("#downloadButton");

        ui.until("the download's outcome shows", () -> ui.text("#message").startsWith("Downloaded "));
        assertEquals(
                "Downloaded archive " + archive.id() + " to " + copy + ": " + Display.size(archive.sizeBytes())
                        + ", sha256 " + archive.sha256() + " checked",
                ui.text("#message"));
        assertEquals(archive.sha256(), sha256(copy));
        assertFalse(ui.showing("#downloadProgress"), "the progress bar is gone once done");

        flipAByte(Path.of(archive.file()));
        ui.clickOn("#verifyButton");
        ui.until("the verify's outcome shows", () -> ui.text("#message").contains(" damaged: "));
        assertTrue(
                ui.text("#message")
                        .startsWith("1 of 1 archive of " + LiveBackup.NODE + ":" + live.agentPort() + " " + app
                                + " damaged: archive " + archive.id() + ": "),
                ui.text("#message"));
        assertTrue(isError("#message"), "shown as an error");
        String id = Long.toString(archive.id());
        ui.until(
                "the row shows corrupt",
                () -> ui.column("#backupsTable", "keptColumn").equals(List.of("corrupt")));
        TableCell<?, ?> state = ui.cell("#backupsTable", "archiveIdColumn", id, "keptColumn");
        assertTrue(ui.onFx(() -> state.getStyleClass().contains("outcome-failed")));
        assertTrue(
                ui.onFx(() ->
                        state.getTableRow().getPseudoClassStates().contains(PseudoClass.getPseudoClass("corrupt"))),
                "the whole row stands out");

        Path damaged = downloads.resolve("damaged.tgz");
        ui.saveAs(damaged);
        ui.clickOn("#downloadButton");
        ui.until("the failure shows", () -> ui.text("#message").startsWith("Download of archive " + id + " failed"));
        assertTrue(
                ui.text("#message")
                        .startsWith("Download of archive " + id + " failed, nothing written to " + damaged
                                + ": the archive is damaged: "),
                ui.text("#message"));
        assertTrue(isError("#message"));
        assertEquals(List.of(copy), filesIn(downloads), "no copy of the damaged archive, no temporary file");
    }

    @Test
    void aFileThatCannotBeWrittenSaysWhyThenTheBarShowsTheBytesReceivedWhileADownloadRuns() {
        ui.selectArchive(archive.id());
        // First a file that cannot be written: its message is long, and the bar must still have room beside it.
        Path nowhere = dir.resolve("nowhere").resolve("copy.tgz");
        ui.saveAs(nowhere);
        ui.clickOn("#downloadButton");
        ui.until("the failure shows", () -> ui.text("#message").startsWith("Download of "));
        assertEquals(
                "Download of archive " + archive.id() + " failed, nothing written to " + nowhere + ": cannot write "
                        + nowhere + ": " + nowhere.getParent() + ": no such directory",
                ui.text("#message"));

        ui.saveAs(downloads.resolve("copy.tgz"));
        gateway.holdAfter(archive.sizeBytes() / 2);
        try {
            ui.clickOn("#downloadButton");
            ui.until(
                    "the progress shows",
                    () -> ui.showing("#downloadProgress")
                            && ui.lookup("#downloadProgress")
                                            .queryAs(ProgressBar.class)
                                            .getProgress()
                                    >= 0.5);
            assertTrue(
                    ui.text("#downloadStatus")
                            .matches("Downloading archive " + archive.id() + ": [0-9.]+ KiB of "
                                    + Display.size(archive.sizeBytes()).replace(".", "\\.") + " \\([5-9][0-9]%\\)"),
                    ui.text("#downloadStatus"));
            assertTrue(
                    ui.onFx(() -> ui.lookup("#downloadProgress")
                                    .query()
                                    .getLayoutBounds()
                                    .getWidth())
                            > 50,
                    "the bar has room, however long the message beside it");
            assertTrue(disabled("#downloadButton"), "one download at a time");
        } finally {
            gateway.release();
        }
        ui.until("the outcome shows", () -> ui.text("#message").startsWith("Downloaded "));
        assertFalse(ui.showing("#downloadProgress"));
        assertFalse(disabled("#downloadButton"));
    }

    @Test
    void theRowsContextMenuVerifiesThatArchive() {
        ui.selectArchive(archive.id());
        ui.openContextMenu(ui.cell("#backupsTable", "archiveIdColumn", Long.toString(archive.id()), "archiveIdColumn"));
        ui.clickOn("Verify this archive");
        ui.until(
                "the verify's outcome shows",
                () -> ui.text("#message").equals("Archive " + archive.id() + " verified, sound"));
        assertFalse(isError("#message"));
    }

    private boolean disabled(String query) {
        return ui.onFx(() -> ui.lookup(query).query().isDisabled());
    }

    private boolean isError(String query) {
        return ui.onFx(
                () -> ui.lookup(query).query().getPseudoClassStates().contains(PseudoClass.getPseudoClass("error")));
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Damage as a bad disk does: one bit, in the middle, size unchanged. */
    private static void flipAByte(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }
    }
}
