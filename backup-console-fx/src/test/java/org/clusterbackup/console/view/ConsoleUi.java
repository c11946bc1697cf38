package org.clusterbackup.console.view;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.clusterbackup.console.Console;
import org.clusterbackup.console.ConsoleSettings;
import org.clusterbackup.console.LiveBackup;
import org.clusterbackup.console.service.ServerGateway;
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

    private ConsoleUi() {
    }

    /** Opens the console on the live server and waits until it shows that it is connected. */
    static ConsoleUi open(LiveBackup live) throws TimeoutException {
        FxToolkit.registerPrimaryStage();
        ConsoleUi ui = new ConsoleUi();
        FxToolkit.setupFixture(() -> {
            ui.stage = new Stage();
            Console.open(ui.stage, new ConsoleSettings(live.serverAddress(), REFRESH), ServerGateway::connect,
                    ZoneOffset.UTC, Clock.systemUTC());
        });
        ui.until("the status shows a connection", () -> ui.text("#connectionStatus").startsWith("Connected"));
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
            WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> onFx(condition));
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
            TableCell<?, ?> keyCell = cells(table, keyColumn).stream().filter(c -> key.equals(c.getText())).findFirst()
                    .orElseThrow(() -> new AssertionError("no row with " + key + " in " + table));
            return cells(table, column).stream().filter(c -> c.getIndex() == keyCell.getIndex()).findFirst()
                    .orElseThrow();
        });
    }

    private List<TableCell<?, ?>> cells(String table, String column) {
        return from(lookup(table).queryAll()).lookup(".table-cell").queryAll().stream()
                .filter(n -> n instanceof TableCell<?, ?>)
                .map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && column.equals(c.getTableColumn().getId()))
                .filter(c -> !c.isEmpty() && c.getText() != null && c.isVisible() && c.getTableRow() != null
                        && c.getTableRow().isVisible() && c.getTableRow().getItem() != null)
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

    /** Selects the target whose path the table shows, by clicking on it. */
    void selectTarget(String path) {
        until("the targets table shows " + path, () -> column("#targetsTable", "pathColumn").contains(path));
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
        return onFx(() -> lookup(query).tryQuery().map(n -> n.getScene() != null && n.getScene().getWindow() != null
                && n.getScene().getWindow().isShowing() && n.isVisible()).orElse(false));
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
