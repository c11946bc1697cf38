package org.clusterbackup.console.viewmodel;

import java.util.Comparator;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.clusterbackup.core.model.Display;
import org.clusterbackup.core.protocol.ArchiveInfo;

/** The selected target's archives: a table, newest first, and their sizes over time for the chart. */
public final class BackupsViewModel {
    private final ObservableList<ArchiveRow> rows = FXCollections.observableArrayList();
    private final ObservableList<SizePoint> sizes = FXCollections.observableArrayList();
    // One read-only view per list, kept: a view forwards changes through a weak listener, so a view made
    // per call and listened to would be collected with its listener, and the screen would stop updating.
    private final ObservableList<ArchiveRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ObservableList<SizePoint> sizesView = FXCollections.unmodifiableObservableList(sizes);
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ObjectProperty<ArchiveRow> selected = new SimpleObjectProperty<>(this, "selected");

    BackupsViewModel() {
        clear();
    }

    /** Newest first, pruned ones included. */
    public ObservableList<ArchiveRow> rows() {
        return rowsView;
    }

    /** Every archive's size, oldest first. */
    public ObservableList<SizePoint> sizes() {
        return sizesView;
    }

    /** Whose backups these are, or a hint to select a target. */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** {@code 3 archives, 2 stored (24.0 KiB)}. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The archive that Download… and Verify archive act on; the table and the ViewModel both set it. */
    public ObjectProperty<ArchiveRow> selectedProperty() {
        return selected;
    }

    public ArchiveRow selected() {
        return selected.get();
    }

    /** Selects the archive with this id, if it is listed. */
    public void select(long id) {
        rows.stream().filter(r -> r.id() == id).findFirst().ifPresent(selected::set);
    }

    void show(TargetRow target, List<ArchiveInfo> archives) {
        title.set("Backups of " + target.label());
        RowSync.merge(rows, archives, ArchiveInfo::id, ArchiveRow::new);
        if (selected.get() != null && !rows.contains(selected.get())) {
            selected.set(null);
        }
        List<SizePoint> points = archives.stream()
                .sorted(Comparator.comparing(ArchiveInfo::createdAt))
                .map(a -> new SizePoint(a.createdAt(), a.sizeBytes()))
                .toList();
        if (!points.equals(sizes)) {
            sizes.setAll(points);
        }
        List<ArchiveInfo> stored = archives.stream().filter(ArchiveInfo::stored).toList();
        summary.set(archives.size() + (archives.size() == 1 ? " archive, " : " archives, ") + stored.size()
                + " stored ("
                + Display.size(stored.stream().mapToLong(ArchiveInfo::sizeBytes).sum()) + ")");
    }

    void clear() {
        title.set("Backups: select a target");
        summary.set("");
        selected.set(null);
        rows.clear();
        sizes.clear();
    }
}
