package org.clusterbackup.console.view;

import java.time.Instant;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.clusterbackup.console.viewmodel.ConsoleViewModel;
import org.clusterbackup.console.viewmodel.Formats;
import org.clusterbackup.console.viewmodel.TargetRow;
import org.clusterbackup.console.viewmodel.TargetsViewModel;
import org.clusterbackup.core.model.OutcomeLabel;
import org.clusterbackup.core.model.TargetState;
import org.clusterbackup.core.protocol.TargetInfo;

/** The actions on targets, the filter, and the targets table. */
final class TargetsPane extends VBox {
    private final TableView<TargetRow> table = new TableView<>();

    TargetsPane(ConsoleViewModel vm, Formats formats) {
        super(6);
        setPadding(new Insets(8, 10, 4, 10));
        TargetsViewModel targets = vm.targets();

        Button register = button("registerButton", "Register…", vm::register);
        register.disableProperty().bind(vm.canRegisterProperty().not());
        Button unregister = button("unregisterButton", "Unregister", vm::unregister);
        unregister.disableProperty().bind(vm.canUnregisterProperty().not());
        Button run = button("runButton", "Run now", vm::runNow);
        run.disableProperty().bind(vm.canRunProperty().not());

        TextField filter = new TextField();
        filter.setId("filterField");
        filter.setPromptText("Filter: node, path, state…");
        filter.setPrefColumnCount(22);
        filter.textProperty().bindBidirectional(targets.filterProperty());

        Label heading = new Label("Targets");
        heading.getStyleClass().add("pane-title");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        // Buttons keep their words when the window is narrow; the filter field gives way.
        List.of(heading, register, unregister, run).forEach(c -> c.setMinWidth(Region.USE_PREF_SIZE));
        HBox toolbar = new HBox(8, heading, register, unregister, run, spacer, filter);
        toolbar.setAlignment(Pos.CENTER_LEFT);

        table.setId("targetsTable");
        table.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns()
                .add(Columns.<TargetInfo, TargetRow, String>of("Node", "nodeColumn", 120, TargetInfo::node, s -> s));
        table.getColumns()
                .add(Columns.<TargetInfo, TargetRow, Integer>numeric(
                        "Port", "portColumn", 60, TargetInfo::port, String::valueOf));
        table.getColumns()
                .add(Columns.<TargetInfo, TargetRow, String>of("Path", "pathColumn", 260, TargetInfo::path, s -> s));
        table.getColumns()
                .add(Columns.<TargetInfo, TargetRow, Long>numeric(
                        "Every", "everyColumn", 60, TargetInfo::everySeconds, Formats::every));
        table.getColumns()
                .add(Columns.<TargetInfo, TargetRow, TargetState>of(
                        "State", "stateColumn", 90, TargetInfo::state, TargetState::name, s -> switch (s) {
                            case RETRYING -> "state-retrying";
                            case RUNNING -> "state-running";
                            case SCHEDULED -> null;
                        }));
        table.getColumns()
                .add(Columns.<TargetInfo, TargetRow, String>of(
                        "Last outcome",
                        "outcomeColumn",
                        130,
                        t -> OutcomeLabel.of(t.lastOutcome(), t.lastFailureKind()),
                        s -> s,
                        OutcomeCells::styleClass));
        table.getColumns()
                .add(Columns.<TargetInfo, TargetRow, Instant>of(
                        "Last success", "lastSuccessColumn", 150, TargetInfo::lastSuccessAt, formats::time));
        table.getColumns()
                .add(Columns.<TargetInfo, TargetRow, Instant>of(
                        "Next run", "nextRunColumn", 150, TargetInfo::nextRunAt, formats::time));
        // The server that runs the target: one name for a server alone, its holder in a cluster.
        table.getColumns()
                .add(Columns.<TargetInfo, TargetRow, String>of(
                        "Server", "serverColumn", 120, TargetInfo::server, s -> s));

        // The view sorts what the ViewModel filtered; the table's header clicks set the order.
        SortedList<TargetRow> sorted = new SortedList<>(targets.filtered());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);

        Label placeholder = new Label();
        placeholder
                .textProperty()
                .bind(Bindings.when(Bindings.isEmpty(targets.rows()))
                        .then("No targets registered. Register… adds one.")
                        .otherwise("No target matches the filter."));
        table.setPlaceholder(placeholder);

        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (targets.selected() != now) {
                targets.selectedProperty().set(now);
            }
        });
        targets.selectedProperty().addListener((o, was, now) -> {
            if (table.getSelectionModel().getSelectedItem() == now) {
                return;
            }
            if (now == null) {
                table.getSelectionModel().clearSelection();
            } else {
                table.getSelectionModel().select(now);
                table.scrollTo(now);
            }
        });

        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(toolbar, table);
    }

    private static Button button(String id, String text, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }
}
