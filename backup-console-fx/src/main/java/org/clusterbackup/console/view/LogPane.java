package org.clusterbackup.console.view;

import java.time.Instant;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.clusterbackup.console.viewmodel.ExecutionRow;
import org.clusterbackup.console.viewmodel.Formats;
import org.clusterbackup.console.viewmodel.LogViewModel;
import org.clusterbackup.core.model.Display;
import org.clusterbackup.core.model.OutcomeLabel;
import org.clusterbackup.core.protocol.ExecutionInfo;

/** The execution log; a FAILED run's row stands out. */
final class LogPane extends VBox {
    /** How close to the last loaded run a shown row makes the pane ask for the next page. */
    private static final int NEAR_END = 10;

    /** @param nearEnd asked for the next page when a row near the last loaded one is shown */
    LogPane(LogViewModel vm, Formats formats, Runnable nearEnd) {
        super(6);
        setPadding(new Insets(6, 10, 4, 10));
        Label title = new Label();
        title.setId("logTitle");
        title.getStyleClass().add("pane-title");
        title.textProperty().bind(vm.titleProperty());
        CheckBox onlySelected = new CheckBox("Selected target only");
        onlySelected.setId("onlySelectedBox");
        onlySelected.selectedProperty().bindBidirectional(vm.onlySelectedProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, title, spacer, onlySelected);
        header.setAlignment(Pos.CENTER_LEFT);

        TableView<ExecutionRow> table = new TableView<>(vm.rows());
        table.setId("logTable");
        table.setPlaceholder(new Label("No runs yet"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns()
                .add(Columns.<ExecutionInfo, ExecutionRow, Instant>of(
                        "Started", "startedColumn", 150, ExecutionInfo::startedAt, formats::time));
        table.getColumns()
                .add(Columns.<ExecutionInfo, ExecutionRow, String>of(
                        "Target", "targetColumn", 220, e -> e.node() + ":" + e.port() + " " + e.path(), s -> s));
        table.getColumns()
                .add(Columns.<ExecutionInfo, ExecutionRow, String>of(
                        "Outcome",
                        "logOutcomeColumn",
                        130,
                        e -> OutcomeLabel.of(e.outcome(), e.failureKind()),
                        s -> s,
                        OutcomeCells::styleClass));
        table.getColumns()
                .add(Columns.<ExecutionInfo, ExecutionRow, String>numeric(
                        "Took", "tookColumn", 60, e -> Formats.took(e.startedAt(), e.finishedAt()), s -> s));
        table.getColumns()
                .add(Columns.<ExecutionInfo, ExecutionRow, Long>numeric(
                        "On the wire", "bytesColumn", 90, ExecutionInfo::bytesReceived, Display::size));
        // FULL, DELTA or BLOCKS: whether the agent sent the whole archive, only the changed files, or of some
        // of those only their changed blocks (blank unless STORED).
        table.getColumns()
                .add(Columns.<ExecutionInfo, ExecutionRow, String>of(
                        "Transfer", "transferColumn", 70, ExecutionInfo::transfer, s -> s));
        table.getColumns()
                .add(Columns.<ExecutionInfo, ExecutionRow, Integer>numeric(
                        "Files", "logFilesColumn", 55, ExecutionInfo::files, String::valueOf));
        table.getColumns()
                .add(Columns.<ExecutionInfo, ExecutionRow, String>of(
                        "Error / warnings", "notesColumn", 300, ExecutionRow::notes, s -> s));
        table.setRowFactory(t -> new TableRow<>() {
            {
                // Rows are made only for what is on screen: one showing an index near the end of what is
                // loaded means the user scrolled there (or the page did not fill the table).
                indexProperty().addListener((o, was, now) -> {
                    int size = t.getItems().size();
                    if (now.intValue() >= 0 && now.intValue() < size && now.intValue() >= size - NEAR_END) {
                        nearEnd.run();
                    }
                });
                Styles.pseudoClass(
                        this,
                        "failed",
                        itemProperty()
                                .flatMap(ExecutionRow::infoProperty)
                                .map(ExecutionRow::failed)
                                .orElse(false));
            }
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(header, table);
    }
}
