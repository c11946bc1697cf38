package org.clusterbackup.console.view;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.clusterbackup.console.viewmodel.ConsoleViewModel;
import org.clusterbackup.console.viewmodel.DownloadViewModel;

/** What is running (with a progress indicator), how far a download got, and how the last action ended. */
final class StatusBar extends HBox {
    StatusBar(ConsoleViewModel vm) {
        super(8);
        getStyleClass().add("status-bar");
        setAlignment(Pos.CENTER_LEFT);
        setPadding(new Insets(4, 10, 4, 10));

        ProgressIndicator progress = new ProgressIndicator();
        progress.setId("runProgress");
        progress.setPrefSize(16, 16);
        progress.visibleProperty().bind(vm.busyProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        Label activity = new Label();
        activity.setId("activity");
        activity.textProperty().bind(vm.activityProperty());
        activity.managedProperty().bind(vm.activityProperty().isNotEmpty());

        DownloadViewModel download = vm.downloadStatus();
        ProgressBar downloadProgress = new ProgressBar();
        downloadProgress.setId("downloadProgress");
        downloadProgress.setPrefWidth(140);
        downloadProgress.progressProperty().bind(download.progressProperty());
        downloadProgress.visibleProperty().bind(download.activeProperty());
        downloadProgress.managedProperty().bind(downloadProgress.visibleProperty());
        Label downloadText = new Label();
        downloadText.setId("downloadStatus");
        downloadText.textProperty().bind(download.textProperty());
        downloadText.managedProperty().bind(download.activeProperty());
        // The bar and the numbers stay whole; the message gives way (an HBox short of room shrinks every child).
        downloadProgress.setMinWidth(Region.USE_PREF_SIZE);
        downloadText.setMinWidth(Region.USE_PREF_SIZE);

        Label message = new Label();
        message.setId("message");
        message.textProperty().bind(vm.messageProperty());
        // A damaged archive's message names two checksums: more than a status bar shows.
        message.tooltipProperty().bind(vm.messageProperty().map(t -> t.length() > 80 ? new Tooltip(t) : null));
        message.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(message, Priority.ALWAYS);
        Styles.pseudoClass(message, "error", vm.messageIsErrorProperty());

        getChildren().addAll(progress, activity, downloadProgress, downloadText, message);
    }
}
