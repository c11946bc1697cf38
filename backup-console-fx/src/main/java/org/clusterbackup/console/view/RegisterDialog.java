package org.clusterbackup.console.view;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.StringProperty;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.Modality;
import javafx.stage.Window;
import org.clusterbackup.console.viewmodel.RegisterViewModel;
import org.clusterbackup.core.protocol.TargetInfo;

/**
 * The Register dialog: four fields, each with its message right below it, and the server's answer at the
 * bottom. Register does not close the dialog by itself: it asks the form to submit, and the dialog closes
 * once the server accepted the target, so a refusal stays visible next to what was typed.
 */
final class RegisterDialog extends Dialog<TargetInfo> {
    static final ButtonType REGISTER = new ButtonType("Register", ButtonBar.ButtonData.OK_DONE);

    RegisterDialog(Window owner, RegisterViewModel vm) {
        initOwner(owner);
        initModality(Modality.WINDOW_MODAL);
        setTitle("Register target");
        setHeaderText("Back up a directory of a node on a schedule");
        getDialogPane().setId("registerDialog");
        getDialogPane().getStylesheets().add(ConsoleView.STYLESHEET);
        getDialogPane().getButtonTypes().addAll(REGISTER, ButtonType.CANCEL);

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(2);
        grid.setPadding(new Insets(10, 10, 0, 10));
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        fields.setMinWidth(340);
        grid.getColumnConstraints().addAll(new ColumnConstraints(), fields);
        int row = 0;
        TextField node =
                field(grid, row, "Node", "node", "host name or IP address", vm.nodeProperty(), vm.nodeErrorProperty());
        row += 2;
        field(grid, row, "Agent port", "port", "1-65535", vm.portProperty(), vm.portErrorProperty());
        row += 2;
        field(
                grid,
                row,
                "Path",
                "path",
                "absolute path on the node, e.g. /srv/app",
                vm.pathProperty(),
                vm.pathErrorProperty());
        row += 2;
        field(grid, row, "Every", "every", "30s, 5m, 2h, or minutes", vm.everyProperty(), vm.everyErrorProperty());
        row += 2;

        ProgressIndicator progress = new ProgressIndicator();
        progress.setPrefSize(16, 16);
        progress.visibleProperty().bind(vm.submittingProperty());
        Label serverError = new Label();
        serverError.setId("registerServerError");
        serverError.getStyleClass().add("error-text");
        serverError.setWrapText(true);
        serverError.textProperty().bind(vm.serverErrorProperty());
        HBox answer = new HBox(8, progress, serverError);
        answer.setPadding(new Insets(8, 0, 0, 0));
        grid.add(answer, 0, row, 2, 1);
        getDialogPane().setContent(grid);

        Button register = (Button) getDialogPane().lookupButton(REGISTER);
        register.setId("registerSubmit");
        register.disableProperty().bind(vm.submittingProperty());
        register.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume(); // the dialog stays open until the server answered
            vm.submit();
        });
        vm.registeredProperty().addListener((o, was, now) -> {
            if (now != null) {
                setResult(now);
                close();
            }
        });
        setResultConverter(button -> vm.registeredProperty().get());
        setOnShown(e -> node.requestFocus());
    }

    private static TextField field(
            GridPane grid,
            int row,
            String label,
            String id,
            String prompt,
            StringProperty text,
            ReadOnlyStringProperty error) {
        Label l = new Label(label);
        TextField f = new TextField();
        f.setId(id + "Field");
        f.setPromptText(prompt);
        f.textProperty().bindBidirectional(text);
        l.setLabelFor(f);
        Label message = new Label();
        message.setId(id + "Error");
        message.getStyleClass().addAll("error-text", "field-error");
        message.setWrapText(true);
        message.textProperty().bind(error);
        // Space for a message is kept whether or not one shows, so the fields do not jump while typing.
        message.setMinHeight(18);
        grid.add(l, 0, row);
        grid.add(f, 1, row);
        grid.add(message, 1, row + 1);
        return f;
    }
}
