package org.clusterbackup.console.viewmodel;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.clusterbackup.core.protocol.TargetInfo;

/** The targets table: the server's active targets, a filter over them, and the selected one. */
public final class TargetsViewModel {
    /** Rows announce changes of their record, so the filter and the table's sort see updates. */
    private final ObservableList<TargetRow> rows =
            FXCollections.observableArrayList(r -> new Observable[] {r.infoProperty()});

    private final FilteredList<TargetRow> filtered = new FilteredList<>(rows);
    // One read-only view per list, kept: a view forwards changes through a weak listener, so a view made
    // per call and listened to would be collected with its listener, and the screen would stop updating.
    private final ObservableList<TargetRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final ObjectProperty<TargetRow> selected = new SimpleObjectProperty<>(this, "selected");

    public TargetsViewModel() {
        filtered.predicateProperty().bind(Bindings.createObjectBinding(() -> matcher(filter.get()), filter));
    }

    /** Every active target, in the server's order (by id). */
    public ObservableList<TargetRow> rows() {
        return rowsView;
    }

    /** The targets that match the filter: what the table shows (it adds its own sort). */
    public ObservableList<TargetRow> filtered() {
        return filtered;
    }

    /** Words that a target must all contain, in any of its columns, case ignored. */
    public StringProperty filterProperty() {
        return filter;
    }

    /** The target the backups and log panes show; the table and the ViewModel both set it. */
    public ObjectProperty<TargetRow> selectedProperty() {
        return selected;
    }

    public TargetRow selected() {
        return selected.get();
    }

    /** Selects the target with this id, if it is listed. */
    public void select(long id) {
        rows.stream().filter(r -> r.id() == id).findFirst().ifPresent(selected::set);
    }

    /** Takes what the server listed; a selected target that is gone is deselected. */
    void apply(List<TargetInfo> targets) {
        RowSync.merge(rows, targets, TargetInfo::id, TargetRow::new);
        TargetRow s = selected.get();
        if (s != null && !rows.contains(s)) {
            selected.set(null);
        }
    }

    void clear() {
        selected.set(null);
        rows.clear();
    }

    static Predicate<TargetRow> matcher(String filter) {
        String[] words = filter == null
                ? new String[0]
                : filter.toLowerCase(Locale.ROOT).trim().split("\\s+");
        List<String> needles = Arrays.stream(words).filter(w -> !w.isEmpty()).toList();
        if (needles.isEmpty()) {
            return r -> true;
        }
        return r -> {
            String haystack = searchText(r.info());
            return needles.stream().allMatch(haystack::contains);
        };
    }

    private static String searchText(TargetInfo t) {
        return String.join(
                        " ",
                        t.node(),
                        Integer.toString(t.port()),
                        t.path(),
                        Formats.every(t.everySeconds()),
                        String.valueOf(t.state()),
                        String.valueOf(t.lastOutcome()),
                        java.util.Objects.toString(t.server(), ""))
                .toLowerCase(Locale.ROOT);
    }
}
