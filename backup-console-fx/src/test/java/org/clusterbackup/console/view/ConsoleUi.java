package org.clusterbackup.console.view;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.event.Event;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.PickResult;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.clusterbackup.console.Console;
import org.clusterbackup.console.ConsoleSettings;
import org.clusterbackup.console.LiveBackup;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.console.viewmodel.ArchiveRow;
import org.clusterbackup.console.viewmodel.Dialogs;
import org.clusterbackup.console.viewmodel.FilesViewModel;
import org.clusterbackup.console.viewmodel.RegisterViewModel;
import org.clusterbackup.core.model.HostPort;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Drives a real console window (headless, under Monocle) against a {@link LiveBackup}: clicks and types as
 * a user does, and reads what the screen shows. Conditions are awaited with a timeout, never slept on.
 */
final class ConsoleUi extends FxRobot implements AutoCloseable {
    /** Short, so a test sees the server's changes quickly; the refresh is what the window does on its own. */
    static final Duration REFRESH = Duration.ofMillis(200);

    private static final long TIMEOUT_SECONDS = 15;

    private Stage stage;
    /** What the save dialog answers; null: cancelled. */
    private volatile Path saveAs;

    private ConsoleUi() {}

    /** Opens the console on the live server and waits until it shows that it is connected. */
    static ConsoleUi open(LiveBackup live) throws TimeoutException {
        return open(live, live::gateway);
    }

    /** As {@link #open(LiveBackup)}, reaching the server through gateways made by {@code connector}. */
    static ConsoleUi open(LiveBackup live, Function<HostPort, ServerGateway> connector) throws TimeoutException {
        return open(live, connector, org.clusterbackup.console.viewmodel.LogViewModel.PAGE);
    }

    /** As {@link #open(LiveBackup, Function)}, with {@code logPage} runs per page of the log. */
    static ConsoleUi open(LiveBackup live, Function<HostPort, ServerGateway> connector, int logPage)
            throws TimeoutException {
        FxToolkit.registerPrimaryStage();
        ConsoleUi ui = new ConsoleUi();
        FxToolkit.setupFixture(() -> {
            ui.stage = new Stage();
            Console.open(
                    ui.stage,
                    new ConsoleSettings(live.serverAddress(), REFRESH, logPage),
                    connector,
                    ZoneOffset.UTC,
                    Clock.systemUTC(),
                    owner -> ui.new SaveAnswered(new FxDialogs(owner)));
        });
        ui.until(
                "the status shows a connection",
                () -> ui.text("#connectionStatus").startsWith("Connected"));
        return ui;
    }

    Stage stage() {
        return stage;
    }

    /** Runs on the FX thread and returns the result: JavaFX state is read there only. */
    <T> T onFx(Callable<T> read) {
        try {
            if (Platform.isFxApplicationThread()) {
                return read.call(); // already there (inside a condition): waiting for it would deadlock
            }
            return WaitForAsyncUtils.asyncFx(read).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("reading the screen failed (is the FX thread blocked?)", e);
        } catch (Exception e) {
            throw new AssertionError("reading the screen failed", e);
        }
    }

    /** Waits until {@code condition} holds on screen; fails naming what was awaited and what the status says. */
    void until(String what, Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> {
                try {
                    return onFx(condition);
                } catch (AssertionError notYet) {
                    // A row looked for may be gone for a moment while a refresh redraws its table: ask again.
                    return false;
                }
            });
        } catch (TimeoutException e) {
            throw new AssertionError("not within " + TIMEOUT_SECONDS + " s: " + what + "; status: '"
                    + onFx(() -> text("#connectionStatus")) + "', message: '" + onFx(() -> text("#message")) + "'");
        }
    }

    /** The text of a label, button or field. */
    String text(String query) {
        return onFx(() -> {
            Node n = lookup(query).query();
            return n instanceof Labeled l ? l.getText() : ((TextInputControl) n).getText();
        });
    }

    /** The texts a column of a table shows, top to bottom (only rows on screen). */
    List<String> column(String table, String column) {
        return onFx(() -> cells(table, column).stream().map(TableCell::getText).toList());
    }

    /** The cell of {@code column} in the row on screen whose {@code keyColumn} shows {@code key}. */
    TableCell<?, ?> cell(String table, String keyColumn, String key, String column) {
        return onFx(() -> {
            TableCell<?, ?> keyCell = cells(table, keyColumn).stream()
                    .filter(c -> key.equals(c.getText()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no row with " + key + " in " + table));
            return cells(table, column).stream()
                    .filter(c -> c.getIndex() == keyCell.getIndex())
                    .findFirst()
                    .orElseThrow();
        });
    }

    private List<TableCell<?, ?>> cells(String table, String column) {
        return from(lookup(table).queryAll()).lookup(".table-cell").queryAll().stream()
                .filter(n -> n instanceof TableCell<?, ?>)
                .map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null
                        && column.equals(c.getTableColumn().getId()))
                .filter(c -> !c.isEmpty()
                        && c.getText() != null
                        && c.isVisible()
                        && c.getTableRow() != null
                        && c.getTableRow().isVisible()
                        && c.getTableRow().getItem() != null)
                .sorted(Comparator.comparingInt(c -> c.getIndex()))
                .<TableCell<?, ?>>map(c -> c)
                .toList();
    }

    /** The sizes the archive-size chart plots, oldest first: the points drawn on screen. */
    List<Long> chartPoints() {
        return onFx(() -> {
            LineChart<?, ?> chart = lookup("#sizeChart").queryAs(LineChart.class);
            if (!chart.isVisible() || chart.getData().isEmpty()) {
                return List.of();
            }
            return chart.getData().get(0).getData().stream()
                    .filter(d -> d.getNode() != null && d.getNode().isVisible())
                    .map(d -> ((Number) d.getYValue()).longValue())
                    .toList();
        });
    }

    /** The file the next save dialog answers with, as if the user had chosen it. */
    void saveAs(Path file) {
        saveAs = file;
    }

    /** Selects the archive with this id in the backups table, by clicking on it. */
    void selectArchive(long id) {
        String key = Long.toString(id);
        until(
                "the backups table shows archive " + id,
                () -> column("#backupsTable", "archiveIdColumn").contains(key));
        clickOn(cell("#backupsTable", "archiveIdColumn", key, "archiveIdColumn"));
        until(
                "archive " + id + " is selected",
                () -> lookup("#backupsTable")
                                        .queryAs(TableView.class)
                                        .getSelectionModel()
                                        .getSelectedItem()
                                instanceof ArchiveRow r
                        && r.id() == id);
    }

    /**
     * Opens the context menu of {@code node} as a right click does. Monocle's headless glass does not turn a
     * secondary click into the platform's context-menu request, so the request is fired here, at the node.
     */
    void openContextMenu(Node node) {
        interact(() -> {
            Bounds b = node.localToScreen(node.getBoundsInLocal());
            Point2D local = node.screenToLocal(b.getCenterX(), b.getCenterY());
            Point2D scene = node.localToScene(local);
            Event.fireEvent(
                    node,
                    new ContextMenuEvent(
                            ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                            local.getX(),
                            local.getY(),
                            b.getCenterX(),
                            b.getCenterY(),
                            false,
                            new PickResult(node, scene.getX(), scene.getY())));
        });
    }

    /** Selects the target whose path the table shows, by clicking on it. */
    void selectTarget(String path) {
        until(
                "the targets table shows " + path,
                () -> column("#targetsTable", "pathColumn").contains(path));
        clickOn(cell("#targetsTable", "pathColumn", path, "pathColumn"));
        until(path + " is selected", () -> text("#backupsTitle").endsWith(" " + path));
    }

    /** Replaces a field's text by typing, as a user does. */
    void type(String field, String text) {
        clickOn(field);
        push(KeyCode.CONTROL, KeyCode.A);
        if (text.isEmpty()) {
            push(KeyCode.BACK_SPACE);
        } else {
            write(text, 0);
        }
    }

    /**
     * Replaces a field's text as pasting does: long paths typed key by key would cost the suite seconds
     * (some 50 ms a key) and test nothing that {@link #type} does not.
     */
    void paste(String field, String text) {
        clickOn(field);
        push(KeyCode.CONTROL, KeyCode.A);
        interact(() -> lookup(field).queryAs(TextInputControl.class).replaceSelection(text));
    }

    boolean showing(String query) {
        return onFx(() -> lookup(query)
                .tryQuery()
                .map(n -> n.getScene() != null
                        && n.getScene().getWindow() != null
                        && n.getScene().getWindow().isShowing()
                        && n.isVisible())
                .orElse(false));
    }

    /**
     * The console's own dialogs, but for the save dialog: a native file chooser is not a JavaFX window that a
     * robot could drive, so the test answers it.
     */
    private final class SaveAnswered implements Dialogs {
        private final FxDialogs fx;

        SaveAnswered(FxDialogs fx) {
            this.fx = fx;
        }

        @Override
        public boolean confirm(String title, String question, String details, String confirmLabel) {
            return fx.confirm(title, question, details, confirmLabel);
        }

        @Override
        public void register(RegisterViewModel form) {
            fx.register(form);
        }

        @Override
        public void files(FilesViewModel files) {
            fx.files(files);
        }

        @Override
        public void changes(org.clusterbackup.console.viewmodel.ChangesViewModel changes) {
            fx.changes(changes);
        }

        @Override
        public Optional<Path> saveFile(String title, String fileName) {
            return Optional.ofNullable(saveAs);
        }
    }

    @Override
    public void close() throws TimeoutException {
        FxToolkit.setupFixture(() -> {
            for (Window w : List.copyOf(Window.getWindows())) {
                if (w instanceof Stage s && s != stage && w.isShowing() && s.getOwner() != null) {
                    s.close(); // a dialog a failed test left open
                }
            }
            if (stage != null) {
                stage.close();
            }
        });
    }
}
