package org.clusterbackup.console.view;

import javafx.geometry.Orientation;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.BorderPane;
import org.clusterbackup.console.viewmodel.ConsoleViewModel;
import org.clusterbackup.console.viewmodel.Formats;

/**
 * The main window's content: connection bar on top, then targets, the selected target's backups and chart,
 * and the execution log, with a status bar below. Only builds controls and binds them to the ViewModel.
 */
public final class ConsoleView extends BorderPane {
    /** The stylesheet that makes states stand out (RETRYING, FAILED, unreachable). */
    public static final String STYLESHEET =
            ConsoleView.class.getResource("console.css").toExternalForm();

    public ConsoleView(ConsoleViewModel vm, Formats formats) {
        getStyleClass().add("console");
        setTop(new ConnectionBar(vm.connection(), vm::connect));
        SplitPane panes = new SplitPane(
                new TargetsPane(vm, formats),
                new BackupsPane(vm, formats),
                new LogPane(vm.log(), formats, vm::loadOlderLog));
        panes.setOrientation(Orientation.VERTICAL);
        panes.setDividerPositions(0.36, 0.68);
        setCenter(panes);
        setBottom(new StatusBar(vm));
    }
}
