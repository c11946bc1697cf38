package org.clusterbackup.console.viewmodel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
import org.clusterbackup.core.client.TargetChanges;
import org.clusterbackup.core.model.TargetState;
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
    /** The rows by target id: a change is merged in place without a scan of 50,000 rows. */
    private final Map<Long, TargetRow> byId = new HashMap<>();

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

    /** The row of the target with this id, or null when it is not listed. */
    TargetRow byId(long id) {
        return byId.get(id);
    }

    /** Selects the target with this id, if it is listed. */
    public void select(long id) {
        TargetRow r = byId.get(id);
        if (r != null) {
            selected.set(r);
        }
    }

    /**
     * Merges a refresh's answer in place: a reset is the whole list, anything else only the changed rows
     * (updated in place, new ones inserted in id order) and the removed ones. Rows stay the same objects,
     * so the table keeps its selection, sort, filter and scroll position.
     */
    void apply(TargetChanges changes) {
        if (changes.reset()) {
            apply(changes.changed());
            return;
        }
        if (!changes.removed().isEmpty()) {
            Set<Long> gone = new HashSet<>(changes.removed());
            if (gone.stream().anyMatch(byId::containsKey)) {
                rows.removeIf(r -> gone.contains(r.id()));
                gone.forEach(byId::remove);
            }
        }
        List<TargetRow> added = new ArrayList<>();
        for (TargetInfo t : changes.changed()) {
            TargetRow r = byId.get(t.id());
            if (r != null) {
                r.update(t);
            } else {
                r = new TargetRow(t);
                byId.put(t.id(), r);
                added.add(r);
            }
        }
        insertInIdOrder(added);
        deselectIfGone();
    }

    /** New rows where the server's order (by id) puts them; at the end in one change when all are newest. */
    private void insertInIdOrder(List<TargetRow> added) {
        if (added.isEmpty()) {
            return;
        }
        added.sort(Comparator.comparingLong(TargetRow::id));
        if (rows.isEmpty() || added.get(0).id() > rows.get(rows.size() - 1).id()) {
            rows.addAll(added);
            return;
        }
        for (TargetRow r : added) {
            int at = Collections.binarySearch(rows, r, Comparator.comparingLong(TargetRow::id));
            rows.add(at < 0 ? -at - 1 : at, r);
        }
    }

    /**
     * Rows whose schedule state moves without a catalog change (RUNNING: its end is recorded just before
     * the schedule moves on; RETRYING: its probes), at most {@code max}, for the server to answer afresh.
     */
    List<Long> unsettled(int max) {
        List<Long> ids = new ArrayList<>();
        for (TargetRow r : rows) {
            TargetState s = r.info().state();
            if (s == TargetState.RUNNING && ids.size() < max) {
                ids.add(r.id());
            }
        }
        for (TargetRow r : rows) {
            if (r.info().state() == TargetState.RETRYING && ids.size() < max) {
                ids.add(r.id());
            }
        }
        return ids;
    }

    /** Takes what the server listed; a selected target that is gone is deselected. */
    void apply(List<TargetInfo> targets) {
        RowSync.merge(rows, targets, TargetInfo::id, TargetRow::new);
        byId.clear();
        rows.forEach(r -> byId.put(r.id(), r));
        deselectIfGone();
    }

    private void deselectIfGone() {
        TargetRow s = selected.get();
        if (s != null && byId.get(s.id()) != s) {
            selected.set(null);
        }
    }

    void clear() {
        selected.set(null);
        rows.clear();
        byId.clear();
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
