package org.clusterbackup.console.viewmodel;

import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.clusterbackup.core.protocol.ExecutionInfo;

/** The execution log: the selected target's runs, or every target's. */
public final class LogViewModel {
    /** Runs shown at most: the newest, as {@code backupctl log} shows by default and then some. */
    public static final int LIMIT = 200;

    private final ObservableList<ExecutionRow> rows = FXCollections.observableArrayList();
    // One read-only view per list, kept: a view forwards changes through a weak listener, so a view made
    // per call and listened to would be collected with its listener, and the screen would stop updating.
    private final ObservableList<ExecutionRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final BooleanProperty onlySelected = new SimpleBooleanProperty(this, "onlySelected", true);
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "Execution log");

    LogViewModel() {}

    /** Newest first. */
    public ObservableList<ExecutionRow> rows() {
        return rowsView;
    }

    /** Show only the selected target's runs (all targets' while none is selected). */
    public BooleanProperty onlySelectedProperty() {
        return onlySelected;
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** @param target whose runs these are, or null for all targets */
    void show(TargetRow target, List<ExecutionInfo> executions) {
        title.set(target == null ? "Execution log: all targets" : "Execution log of " + target.label());
        RowSync.merge(rows, executions, ExecutionInfo::id, ExecutionRow::new);
    }

    void clear() {
        title.set("Execution log");
        rows.clear();
    }
}
