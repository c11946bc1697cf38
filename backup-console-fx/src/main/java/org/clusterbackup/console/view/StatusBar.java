package org.clusterbackup.console.view;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.clusterbackup.console.viewmodel.ConsoleViewModel;

/** What is running (with a progress indicator) and how the last action ended. */
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

        Label message = new Label();
        message.setId("message");
        message.textProperty().bind(vm.messageProperty());
        message.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(message, Priority.ALWAYS);
        Styles.pseudoClass(message, "error", vm.messageIsErrorProperty());

        getChildren().addAll(progress, activity, message);
    }
}
