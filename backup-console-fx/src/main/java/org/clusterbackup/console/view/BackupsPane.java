package org.clusterbackup.console.view;

import java.time.Instant;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.clusterbackup.console.viewmodel.ArchiveRow;
import org.clusterbackup.console.viewmodel.BackupsViewModel;
import org.clusterbackup.console.viewmodel.Formats;
import org.clusterbackup.console.viewmodel.SizePoint;
import org.clusterbackup.core.model.Display;
import org.clusterbackup.core.protocol.ArchiveInfo;

/** The selected target's backups: a table, and a chart of archive size over time. */
final class BackupsPane extends SplitPane {
    BackupsPane(BackupsViewModel vm, Formats formats) {
        Label title = new Label();
        title.setId("backupsTitle");
        title.getStyleClass().add("pane-title");
        title.textProperty().bind(vm.titleProperty());
        Label summary = new Label();
        summary.setId("backupsSummary");
        summary.getStyleClass().add("pane-summary");
        summary.textProperty().bind(vm.summaryProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, title, spacer, summary);

        TableView<ArchiveRow> table = new TableView<>(vm.rows());
        table.setId("backupsTable");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No backups"));
        table.getColumns().add(Columns.<ArchiveInfo, ArchiveRow, Long>numeric("ID", "archiveIdColumn", 50,
                ArchiveInfo::id, String::valueOf));
        table.getColumns().add(Columns.<ArchiveInfo, ArchiveRow, Instant>of("Date", "dateColumn", 150,
                ArchiveInfo::createdAt, formats::time));
        table.getColumns().add(Columns.<ArchiveInfo, ArchiveRow, Long>numeric("Size", "sizeColumn", 80,
                ArchiveInfo::sizeBytes, Display::size));
        table.getColumns().add(Columns.<ArchiveInfo, ArchiveRow, Integer>numeric("Files", "filesColumn", 60,
                ArchiveInfo::files, String::valueOf));
        table.getColumns().add(Columns.<ArchiveInfo, ArchiveRow, String>of("State", "keptColumn", 70,
                ArchiveRow::state, s -> s, s -> "corrupt".equals(s) ? "outcome-failed"
                        : "pruned".equals(s) ? "archive-pruned" : null));
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

    private static LineChart<Number, Number> chart(BackupsViewModel vm, Formats formats) {
        NumberAxis time = new NumberAxis();
        time.setForceZeroInRange(false);
        time.setMinorTickVisible(false);
        time.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number seconds) {
                // Within a day the date says nothing; a long history needs it.
                Instant at = Instant.ofEpochSecond(seconds.longValue());
                return time.getUpperBound() - time.getLowerBound() < 86_400 ? formats.clockTime(at)
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
        Runnable redraw = () -> series.getData().setAll(vm.sizes().stream()
                .map(BackupsPane::point)
                .toList());
        vm.sizes().addListener((ListChangeListener<SizePoint>) c -> redraw.run());
        redraw.run();
        return chart;
    }

    /** Seconds since the epoch against bytes. */
    private static XYChart.Data<Number, Number> point(SizePoint p) {
        return new XYChart.Data<>(p.at().getEpochSecond(), p.bytes());
    }
}
