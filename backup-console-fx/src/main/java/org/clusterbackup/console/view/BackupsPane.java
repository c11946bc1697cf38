package org.clusterbackup.console.view;

import java.time.Instant;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.clusterbackup.console.viewmodel.ArchiveRow;
import org.clusterbackup.console.viewmodel.BackupsViewModel;
import org.clusterbackup.console.viewmodel.ConsoleViewModel;
import org.clusterbackup.console.viewmodel.Formats;
import org.clusterbackup.console.viewmodel.SizePoint;
import org.clusterbackup.core.model.Display;
import org.clusterbackup.core.protocol.ArchiveInfo;

/**
 * The selected target's backups: Download… and Verify, a table (a corrupt archive's row stands out), and a
 * chart of archive size over time.
 */
final class BackupsPane extends SplitPane {
    BackupsPane(ConsoleViewModel console, Formats formats) {
        BackupsViewModel vm = console.backups();
        Label title = new Label();
        title.setId("backupsTitle");
        title.getStyleClass().add("pane-title");
        title.textProperty().bind(vm.titleProperty());
        Label summary = new Label();
        summary.setId("backupsSummary");
        summary.getStyleClass().add("pane-summary");
        summary.textProperty().bind(vm.summaryProperty());
        Button download = button("downloadButton", "Download…", console::download);
        download.disableProperty().bind(console.canDownloadProperty().not());
        download.setTooltip(new Tooltip("Save the selected archive to a file, its sha256 checked"));
        Button files = button("filesButton", "Files…", console::showFiles);
        files.disableProperty().bind(console.canShowFilesProperty().not());
        files.setTooltip(new Tooltip("List the selected archive's files and download one of them"));
        Button changes = button("changesButton", "Changes…", console::showChanges);
        changes.disableProperty().bind(console.canShowFilesProperty().not());
        changes.setTooltip(new Tooltip("What differs from the archive before it: added, removed, modified files"));
        Button verify = button("verifyButton", "Verify", console::verify);
        verify.disableProperty().bind(console.canVerifyProperty().not());
        verify.setTooltip(
                new Tooltip("Re-read this target's stored archives on the server; damaged ones show as corrupt"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        // The buttons and the counts keep their words when the pane is narrow; the title (a long path) gives way.
        download.setMinWidth(Region.USE_PREF_SIZE);
        files.setMinWidth(Region.USE_PREF_SIZE);
        changes.setMinWidth(Region.USE_PREF_SIZE);
        verify.setMinWidth(Region.USE_PREF_SIZE);
        summary.setMinWidth(Region.USE_PREF_SIZE);
        HBox header = new HBox(8, title, download, files, changes, verify, spacer, summary);
        header.setAlignment(Pos.CENTER_LEFT);

        TableView<ArchiveRow> table = new TableView<>(vm.rows());
        table.setId("backupsTable");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No backups"));
        table.getColumns()
                .add(Columns.<ArchiveInfo, ArchiveRow, Long>numeric(
                        "ID", "archiveIdColumn", 50, ArchiveInfo::id, String::valueOf));
        table.getColumns()
                .add(Columns.<ArchiveInfo, ArchiveRow, Instant>of(
                        "Date", "dateColumn", 150, ArchiveInfo::createdAt, formats::time));
        table.getColumns()
                .add(Columns.<ArchiveInfo, ArchiveRow, Long>numeric(
                        "Size", "sizeColumn", 80, ArchiveInfo::sizeBytes, Display::size));
        table.getColumns()
                .add(Columns.<ArchiveInfo, ArchiveRow, Integer>numeric(
                        "Files", "filesColumn", 60, ArchiveInfo::files, String::valueOf));
        table.getColumns()
                .add(Columns.<ArchiveInfo, ArchiveRow, String>of(
                        "State",
                        "keptColumn",
                        70,
                        ArchiveRow::state,
                        s -> s,
                        s -> "corrupt".equals(s) ? "outcome-failed" : "pruned".equals(s) ? "archive-pruned" : null));
        table.setRowFactory(t -> new TableRow<>() {
            {
                Styles.pseudoClass(
                        this,
                        "corrupt",
                        itemProperty()
                                .flatMap(ArchiveRow::infoProperty)
                                .map(ArchiveInfo::corrupt)
                                .orElse(false));
            }
        });
        table.setContextMenu(contextMenu(console));
        table.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (vm.selected() != now) {
                vm.selectedProperty().set(now);
            }
        });
        vm.selectedProperty().addListener((o, was, now) -> {
            if (table.getSelectionModel().getSelectedItem() != now) {
                if (now == null) {
                    table.getSelectionModel().clearSelection();
                } else {
                    table.getSelectionModel().select(now);
                }
            }
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        VBox left = new VBox(6, header, table);
        left.setPadding(new Insets(6, 6, 4, 10));

        LineChart<Number, Number> chart = chart(vm, formats);
        chart.visibleProperty().bind(Bindings.isNotEmpty(vm.sizes()));
        Label noChart = new Label("Archive sizes over time show here for a target with backups.");
        noChart.getStyleClass().add("pane-summary");
        noChart.visibleProperty().bind(chart.visibleProperty().not());
        getItems().addAll(left, new StackPane(noChart, chart));
        setDividerPositions(0.55);
    }

    private static ContextMenu contextMenu(ConsoleViewModel console) {
        MenuItem download = new MenuItem("Download…");
        download.setId("downloadMenuItem");
        download.setOnAction(e -> console.download());
        download.disableProperty().bind(console.canDownloadProperty().not());
        MenuItem files = new MenuItem("Files…");
        files.setId("filesMenuItem");
        files.setOnAction(e -> console.showFiles());
        files.disableProperty().bind(console.canShowFilesProperty().not());
        MenuItem changes = new MenuItem("Changes…");
        changes.setId("changesMenuItem");
        changes.setOnAction(e -> console.showChanges());
        changes.disableProperty().bind(console.canShowFilesProperty().not());
        MenuItem verify = new MenuItem("Verify this archive");
        verify.setId("verifyArchiveMenuItem");
        verify.setOnAction(e -> console.verifyArchive());
        verify.disableProperty().bind(console.canVerifyArchiveProperty().not());
        return new ContextMenu(download, files, changes, verify);
    }

    private static Button button(String id, String text, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    private static LineChart<Number, Number> chart(BackupsViewModel vm, Formats formats) {
        NumberAxis time = new NumberAxis();
        time.setForceZeroInRange(false);
        time.setMinorTickVisible(false);
        time.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number seconds) {
                // Within a day the date says nothing; a long history needs it.
                Instant at = Instant.ofEpochSecond(seconds.longValue());
                return time.getUpperBound() - time.getLowerBound() < 86_400
                        ? formats.clockTime(at)
                        : formats.shortTime(at);
            }

            @Override
            public Number fromString(String s) {
                throw new UnsupportedOperationException("display only");
            }
        });
        NumberAxis size = new NumberAxis();
        size.setMinorTickVisible(false);
        size.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number bytes) {
                return Display.size(bytes.longValue());
            }

            @Override
            public Number fromString(String s) {
                throw new UnsupportedOperationException("display only");
            }
        });
        LineChart<Number, Number> chart = new LineChart<>(time, size);
        chart.setId("sizeChart");
        chart.setTitle("Archive size over time");
        chart.setLegendVisible(false);
        chart.setAnimated(false); // refreshes would otherwise restart the animation every few seconds
        chart.setMinWidth(200);
        XYChart.Series<Number, Number> series = new XYChart.Series<>();
        chart.getData().add(series);
        Runnable redraw = () -> series.getData()
                .setAll(vm.sizes().stream().map(BackupsPane::point).toList());
        vm.sizes().addListener((ListChangeListener<SizePoint>) c -> redraw.run());
        redraw.run();
        return chart;
    }

    /** Seconds since the epoch against bytes. */
    private static XYChart.Data<Number, Number> point(SizePoint p) {
        return new XYChart.Data<>(p.at().getEpochSecond(), p.bytes());
    }
}
