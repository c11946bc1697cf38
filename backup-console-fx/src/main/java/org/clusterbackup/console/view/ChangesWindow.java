package org.clusterbackup.console.view;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.clusterbackup.console.viewmodel.ChangesViewModel;
import org.clusterbackup.core.protocol.ChangePage;

/** The Changes… window of one archive: change and path per row, a count or the reason below. */
final class ChangesWindow extends Stage {
    ChangesWindow(Window owner, ChangesViewModel vm) {
        initOwner(owner);
        setTitle(vm.title());
        TableView<ChangePage.Change> table = new TableView<>(vm.rows());
        table.setId("changesTable");
        table.getColumns().add(column("Change", "changeKindColumn", 90, ChangePage.Change::change));
        table.getColumns().add(column("Path", "changePathColumn", 520, ChangePage.Change::path));
        Label message = new Label();
        message.setId("changesMessage");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());
        Styles.pseudoClass(message, "error", vm.messageIsErrorProperty());
        BorderPane root = new BorderPane(table, null, null, message, null);
        root.setPadding(new Insets(8));
        BorderPane.setMargin(table, new Insets(0, 0, 8, 0));
        Scene scene = new Scene(root, 660, 420);
        scene.getStylesheets().add(ConsoleView.STYLESHEET);
        setScene(scene);
    }

    private static TableColumn<ChangePage.Change, String> column(
            String title, String id, double width, Function<ChangePage.Change, String> value) {
        TableColumn<ChangePage.Change, String> c = new TableColumn<>(title);
        c.setId(id);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return c;
    }
}
