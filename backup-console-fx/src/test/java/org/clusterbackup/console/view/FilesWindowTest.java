package org.clusterbackup.console.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javafx.scene.control.TableView;
import org.clusterbackup.console.LiveBackup;
import org.clusterbackup.console.viewmodel.FileRow;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.TargetInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Files… window against a real server and agent: the list, the filter and one file downloaded. */
class FilesWindowTest {
    @TempDir
    Path dir;

    private LiveBackup live;
    private ConsoleUi ui;
    private Path app;
    private ArchiveInfo archive;

    @BeforeEach
    void open() throws IOException, TimeoutException {
        live = new LiveBackup(dir);
        app = live.app("shop", 200_000);
        TargetInfo t = live.register(app);
        TargetSelector target = new TargetSelector(t.node(), t.path(), t.port());
        assertEquals(Outcome.STORED, live.client().run(target).outcome());
        archive = live.client().backups(target).get(0);
        ui = ConsoleUi.open(live);
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
    void filesListsTheArchiveFiltersItAndDownloadsOneCheckedFile() throws Exception {
        ui.selectArchive(archive.id());
        ui.clickOn("#filesButton");
        ui.until(
                "the files window lists the archive",
                () -> ui.column("#filesTable", "filePathColumn").containsAll(List.of(".", "README", "data.bin")));
        assertEquals("3 entries", ui.text("#filesMessage"));
        assertEquals(
                List.of("0644"),
                List.of(ui.cell("#filesTable", "filePathColumn", "README", "fileModeColumn")
                        .getText()));

        ui.clickOn("#filesFilter").write("read");
        ui.until(
                "the filter leaves README",
                () -> ui.column("#filesTable", "filePathColumn").equals(List.of("README")));
        assertEquals("1 of 3 entries shown", ui.text("#filesMessage"));

        ui.clickOn(ui.cell("#filesTable", "filePathColumn", "README", "filePathColumn"));
        ui.until(
                "README is selected",
                () -> ui.lookup("#filesTable")
                                        .queryAs(TableView.class)
                                        .getSelectionModel()
                                        .getSelectedItem()
                                instanceof FileRow r
                        && r.info().path().equals("README"));
        Path saved = Files.createDirectories(dir.resolve("downloads")).resolve("README");
        ui.saveAs(saved);
        ui.clickOn("#downloadFileButton");

        ui.until("the download's outcome shows", () -> ui.text("#filesMessage").startsWith("Downloaded README"));
        assertEquals("sample application shop\n", Files.readString(saved));
        assertTrue(ui.text("#filesMessage").endsWith("checked"), ui.text("#filesMessage"));
    }
}
