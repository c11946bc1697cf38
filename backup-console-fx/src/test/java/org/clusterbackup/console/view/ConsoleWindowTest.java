package org.clusterbackup.console.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javafx.css.PseudoClass;
import javafx.scene.control.TableCell;
import org.clusterbackup.console.LiveBackup;
import org.clusterbackup.core.model.Frequency;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.TargetPath;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.TargetInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console window against a real server and agent on loopback, driven as a user drives it. Each test
 * checks what the screen shows.
 */
class ConsoleWindowTest {
    @TempDir
    Path dir;

    private LiveBackup live;
    private ConsoleUi ui;

    @BeforeEach
    void open() throws IOException, TimeoutException {
        live = new LiveBackup(dir);
        ui = ConsoleUi.open(live);
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
    void theWindowTitleNamesTheProductAndTheServer() {
        assertEquals(
                "Cluster Backup — " + live.serverAddress(),
                ui.onFx(() -> ui.stage().getTitle()));
    }

    @Test
    void registeringThroughTheDialogAddsTheTargetsRow() throws IOException {
        Path app = live.app("shop", 2000);
        ui.clickOn("#registerButton");
        ui.until("the register dialog opens", () -> ui.showing("#registerDialog"));
        ui.type("#nodeField", LiveBackup.NODE);
        ui.type("#portField", Integer.toString(live.agentPort()));
        ui.paste("#pathField", app.toString());
        ui.type("#everyField", "1h");
        ui.clickOn("#registerSubmit");

        ui.until("the dialog closes", () -> !ui.showing("#registerDialog"));
        ui.until(
                "the new target's row appears",
                () -> ui.column("#targetsTable", "pathColumn").contains(app.toString()));
        assertEquals(
                "1h",
                ui.cell("#targetsTable", "pathColumn", app.toString(), "everyColumn")
                        .getText());
        assertEquals(
                live.serverAddress().toString(),
                ui.cell("#targetsTable", "pathColumn", app.toString(), "serverColumn")
                        .getText(),
                "a server alone runs every target: its name is its address");
        assertEquals(
                "Registered " + LiveBackup.NODE + ":" + live.agentPort() + " " + app + ", every 1h",
                ui.text("#message"));
        assertEquals(
                List.of(app.toString()),
                live.client().list().stream().map(TargetInfo::path).toList());
    }

    @Test
    void invalidInputShowsInlineMessagesAndSendsNothing() throws IOException {
        ui.clickOn("#registerButton");
        ui.until("the register dialog opens", () -> ui.showing("#registerDialog"));
        ui.type("#nodeField", "bad_host!");
        ui.type("#portField", "70000");
        ui.type("#pathField", "srv/app");
        ui.type("#everyField", "5x");
        ui.clickOn("#registerSubmit");

        assertEquals(message(() -> NodeAddress.normalize("bad_host!")), ui.text("#nodeError"));
        assertEquals("port 70000 is outside 1-65535", ui.text("#portError"));
        assertEquals(message(() -> TargetPath.normalize("srv/app")), ui.text("#pathError"));
        assertEquals(message(() -> Frequency.parseSeconds("5x")), ui.text("#everyError"));
        assertTrue(ui.showing("#registerDialog"), "the dialog stays open");
        assertEquals(List.of(), live.client().list(), "nothing reached the server");

        ui.type("#portField", Integer.toString(live.agentPort()));
        assertEquals("", ui.text("#portError"), "a corrected field loses its message");
    }

    @Test
    void aDuplicateRegistrationIsShownInTheDialog() throws IOException {
        Path app = live.app("shop", 100);
        live.register(app);
        ui.clickOn("#registerButton");
        ui.until("the register dialog opens", () -> ui.showing("#registerDialog"));
        ui.type("#nodeField", LiveBackup.NODE);
        ui.type("#portField", Integer.toString(live.agentPort()));
        ui.paste("#pathField", app.toString());
        ui.type("#everyField", "5m");
        ui.clickOn("#registerSubmit");

        ui.until(
                "the server's refusal shows",
                () -> ui.text("#registerServerError").contains("already registered"));
        assertTrue(ui.showing("#registerDialog"), "the dialog stays open to fix or cancel");
    }

    @Test
    void runNowShowsProgressThenTheOutcomeAndABackupRowWithItsSize() throws IOException {
        Path app = live.app("shop", 300_000);
        live.register(app);
        ui.selectTarget(app.toString());
        assertEquals(List.of(), ui.column("#backupsTable", "sizeColumn"));

        live.holdRuns();
        ui.clickOn("#runButton");
        ui.until(
                "the run shows as in progress",
                () -> ui.showing("#runProgress") && ui.text("#activity").startsWith("Running backup of "));
        ui.until(
                "the target shows RUNNING",
                () -> ui.column("#targetsTable", "stateColumn").contains("RUNNING"));
        live.releaseRuns();

        ui.until("the outcome shows", () -> ui.text("#message").contains(": STORED, "));
        assertFalse(ui.showing("#runProgress"));
        ui.until(
                "a backup row appears",
                () -> ui.column("#backupsTable", "sizeColumn").size() == 1);
        String size = ui.column("#backupsTable", "sizeColumn").get(0);
        assertTrue(size.matches("29[0-9]\\.[0-9] KiB"), size); // 300 000 random bytes barely compress
        assertEquals(List.of("stored"), ui.column("#backupsTable", "keptColumn"));
        ui.until("the chart shows the archive's size", () -> ui.chartPoints().size() == 1);
        long stored = live.client()
                .backups(new TargetSelector(LiveBackup.NODE, app.toString(), null))
                .get(0)
                .sizeBytes();
        assertEquals(List.of(stored), ui.chartPoints());
        ui.until(
                "the log shows the run",
                () -> ui.column("#logTable", "logOutcomeColumn").equals(List.of("STORED")));
        ui.until(
                "the target's last outcome shows",
                () -> ui.column("#targetsTable", "outcomeColumn").contains("STORED"));
    }

    @Test
    void unregisterConfirmsNamingNodeAndPathThenTheRowIsGone() throws IOException {
        Path app = live.app("shop", 100);
        TargetInfo t = live.register(app);
        ui.selectTarget(app.toString());
        ui.clickOn("#unregisterButton");
        ui.until("the confirmation opens", () -> ui.showing("#confirmDialog"));
        assertEquals(
                "Unregister " + app + " on " + t.node() + ":" + t.port() + "?",
                ui.onFx(() -> ui.lookup("#confirmDialog")
                        .queryAs(javafx.scene.control.DialogPane.class)
                        .getHeaderText()));
        ui.clickOn("#confirmButton");

        ui.until(
                "the row is gone",
                () -> !ui.column("#targetsTable", "pathColumn").contains(app.toString()));
        assertEquals(List.of(), live.client().list());
        assertEquals("Unregistered " + t.node() + ":" + t.port() + " " + app, ui.text("#message"));
    }

    @Test
    void aStoppedServerShowsUnreachableTheWindowStaysResponsiveAndRecovers() throws IOException {
        Path shop = live.app("shop", 100);
        Path blog = live.app("blog", 100);
        live.register(shop);
        live.register(blog);
        ui.until(
                "both targets show",
                () -> ui.column("#targetsTable", "pathColumn").size() == 2);

        live.stopServer();
        ui.until(
                "the status says unreachable, with the reason",
                () -> ui.text("#connectionStatus")
                        .startsWith("Unreachable: cannot reach the server " + live.serverAddress()
                                + ": connection refused"));
        assertTrue(ui.onFx(() -> ui.lookup("#registerButton").query().isDisabled()), "no actions without a server");

        // The window still answers: the filter works on what was last seen.
        ui.type("#filterField", "blog");
        ui.until(
                "the filter applies",
                () -> ui.column("#targetsTable", "pathColumn").equals(List.of(blog.toString())));
        ui.type("#filterField", "");
        ui.until(
                "the filter is cleared",
                () -> ui.column("#targetsTable", "pathColumn").size() == 2);

        live.startServer();
        ui.until(
                "the status says connected again",
                () -> ui.text("#connectionStatus").startsWith("Connected to "));
        ui.until(
                "the actions are back",
                () -> !ui.lookup("#registerButton").query().isDisabled());
        assertEquals(2, ui.column("#targetsTable", "pathColumn").size());
    }

    @Test
    void aFailedRunStandsOutInTheLogAndItsTargetShowsRetrying() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(LiveBackup.NODE, 0));
            deadPort = s.getLocalPort(); // closed again below: nobody listens there
        }
        Path app = live.app("shop", 100);
        live.client().register(LiveBackup.NODE, deadPort, app.toString(), 3600);
        ui.selectTarget(app.toString());
        ui.clickOn("#runButton");

        ui.until("the failure shows", () -> ui.text("#message").contains(": FAILED: "));
        assertTrue(
                ui.onFx(() -> ui.lookup("#message")
                        .query()
                        .getPseudoClassStates()
                        .contains(PseudoClass.getPseudoClass("error"))),
                "the message is shown as an error");
        ui.until(
                "the log shows the failed run, and why",
                () -> ui.column("#logTable", "logOutcomeColumn").contains("FAILED (unreachable)"));
        TableCell<?, ?> failed = ui.cell("#logTable", "logOutcomeColumn", "FAILED (unreachable)", "logOutcomeColumn");
        assertTrue(
                ui.onFx(() ->
                        failed.getTableRow().getPseudoClassStates().contains(PseudoClass.getPseudoClass("failed"))),
                "the whole row stands out");
        assertTrue(ui.onFx(() -> failed.getStyleClass().contains("outcome-failed")));
        ui.until(
                "the target shows RETRYING",
                () -> ui.column("#targetsTable", "stateColumn").contains("RETRYING"));
        TableCell<?, ?> retrying = ui.cell("#targetsTable", "stateColumn", "RETRYING", "stateColumn");
        assertTrue(ui.onFx(() -> retrying.getStyleClass().contains("state-retrying")));
    }

    @Test
    void autoRefreshShowsWhatHappenedElsewhereAndKeepsTheSelection() throws IOException {
        Path shop = live.app("shop", 1000);
        Path blog = live.app("blog", 1000);
        live.register(shop);
        TargetInfo b = live.register(blog);
        ui.selectTarget(blog.toString());

        live.client().run(new TargetSelector(b.node(), b.path(), b.port()));
        ui.until(
                "the run made elsewhere shows",
                () -> ui.column("#backupsTable", "sizeColumn").size() == 1);
        ui.until(
                "the targets table shows its outcome",
                () -> "STORED"
                        .equals(ui.cell("#targetsTable", "pathColumn", blog.toString(), "outcomeColumn")
                                .getText()));
        assertEquals(
                blog.toString(),
                ui.onFx(() -> ((javafx.scene.control.TableView<?>)
                                                ui.lookup("#targetsTable").query())
                                        .getSelectionModel()
                                        .getSelectedItem()
                                instanceof org.clusterbackup.console.viewmodel.TargetRow r
                        ? r.info().path()
                        : null),
                "still selected");
        assertEquals("Backups of " + b.node() + ":" + b.port() + " " + blog, ui.text("#backupsTitle"));
    }

    private static String message(org.junit.jupiter.api.function.Executable validation) {
        return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, validation)
                .getMessage();
    }
}
