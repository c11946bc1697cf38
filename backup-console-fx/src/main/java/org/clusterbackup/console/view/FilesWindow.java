package org.clusterbackup.console.view;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.clusterbackup.console.viewmodel.FileRow;
import org.clusterbackup.console.viewmodel.FilesViewModel;

/**
 * The Files… window of one archive: a filter box, the entries (path, type, size, mode, mtime) and
 * Download file… with its progress and outcome below. It only binds to its {@link FilesViewModel}.
 */
final class FilesWindow extends Stage {
    FilesWindow(Window owner, FilesViewModel vm) {
        initOwner(owner);
        setTitle(vm.title());

        TextField filter = new TextField();
        filter.setId("filesFilter");
        filter.setPromptText("Filter by path");
        filter.textProperty().bindBidirectional(vm.filterProperty());
        HBox.setHgrow(filter, Priority.ALWAYS);
        Button download = new Button("Download file…");
        download.setId("downloadFileButton");
        download.disableProperty().bind(vm.canDownloadProperty().not());
        download.setOnAction(e -> vm.downloadSelected());
        HBox top = new HBox(8, filter, download);

        TableView<FileRow> table = new TableView<>(vm.rows());
        table.setId("filesTable");
        table.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        table.getColumns().add(column("Path", "filePathColumn", 360, FileRow::path));
        table.getColumns().add(column("Type", "fileTypeColumn", 60, FileRow::type));
        table.getColumns().add(column("Size", "fileSizeColumn", 80, FileRow::size));
        table.getColumns().add(column("Mode", "fileModeColumn", 60, FileRow::mode));
        table.getColumns().add(column("Modified", "fileMtimeColumn", 150, FileRow::mtime));
        table.getSelectionModel()
                .selectedItemProperty()
                .addListener((o, was, now) -> vm.selectedProperty().set(now));
        vm.selectedProperty().addListener((o, was, now) -> {
            if (now == null) {
                table.getSelectionModel().clearSelection();
            }
        });
        table.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                vm.downloadSelected();
            }
        });

        ProgressBar progress = new ProgressBar();
        progress.setId("fileDownloadProgress");
        progress.progressProperty().bind(vm.downloadStatus().progressProperty());
        progress.visibleProperty().bind(vm.downloadStatus().activeProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        Label message = new Label();
        message.setId("filesMessage");
        message.setWrapText(true);
        message.textProperty()
                .bind(vm.downloadStatus()
                        .activeProperty()
                        .flatMap(active -> active ? vm.downloadStatus().textProperty() : vm.messageProperty()));
        Styles.pseudoClass(message, "error", vm.messageIsErrorProperty());
        HBox bottom = new HBox(8, progress, message);

        BorderPane root = new BorderPane(table, top, null, bottom, null);
        root.setPadding(new Insets(8));
        BorderPane.setMargin(table, new Insets(8, 0, 8, 0));
        Scene scene = new Scene(root, 760, 480);
        scene.getStylesheets().add(ConsoleView.STYLESHEET);
        setScene(scene);
    }

    private static TableColumn<FileRow, String> column(
            String title, String id, double width, Function<FileRow, String> value) {
        TableColumn<FileRow, String> c = new TableColumn<>(title);
        c.setId(id);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return c;
    }
}
