package org.clusterbackup.console.view;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import org.clusterbackup.console.viewmodel.ConnectionState;
import org.clusterbackup.console.viewmodel.ConnectionViewModel;

/** The server address, Connect/Reconnect, and whether the server answers. */
final class ConnectionBar extends HBox {
    ConnectionBar(ConnectionViewModel vm, Runnable connect) {
        super(8);
        getStyleClass().add("connection-bar");
        setAlignment(Pos.CENTER_LEFT);
        setPadding(new Insets(6, 10, 6, 10));

        Label label = new Label("Server");
        TextField address = new TextField();
        address.setId("addressField");
        address.setPrefColumnCount(18);
        address.setPromptText("HOST:PORT");
        address.textProperty().bindBidirectional(vm.addressProperty());
        address.setOnAction(e -> connect.run());
        label.setLabelFor(address);

        Button button = new Button();
        button.setId("connectButton");
        button.textProperty().bind(vm.connectLabelProperty());
        button.setOnAction(e -> connect.run());

        Label addressError = new Label();
        addressError.setId("addressError");
        addressError.getStyleClass().add("error-text");
        addressError.textProperty().bind(vm.addressErrorProperty());
        addressError.visibleProperty().bind(vm.addressErrorProperty().isNotEmpty());
        addressError.managedProperty().bind(addressError.visibleProperty());

        Circle light = new Circle(5);
        light.getStyleClass().add("status-light");
        Label status = new Label();
        status.setId("connectionStatus");
        status.setGraphic(light);
        status.textProperty().bind(vm.statusProperty());
        status.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(status, Priority.ALWAYS);
        Styles.toggle(status, vm.stateProperty(), state -> switch (state) {
            case CONNECTED -> "status-connected";
            case UNREACHABLE -> "status-unreachable";
            case CONNECTING -> "status-connecting";
        });
        status.tooltipProperty()
                .bind(Bindings.createObjectBinding(
                        () -> vm.stateProperty().get() == ConnectionState.UNREACHABLE
                                ? new javafx.scene.control.Tooltip(
                                        vm.statusProperty().get())
                                : null,
                        vm.stateProperty(),
                        vm.statusProperty()));

        // The label and button keep their words when the window is narrow; the status line gives way.
        label.setMinWidth(Region.USE_PREF_SIZE);
        button.setMinWidth(Region.USE_PREF_SIZE);
        address.setMinWidth(Region.USE_PREF_SIZE);
        getChildren().addAll(label, address, button, addressError, status);
    }
}
