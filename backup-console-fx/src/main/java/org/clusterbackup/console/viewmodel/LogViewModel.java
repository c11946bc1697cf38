package org.clusterbackup.console.viewmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.clusterbackup.core.protocol.ExecutionInfo;

/**
 * The execution log: the selected target's runs, or every target's. It holds the newest page, which each
 * refresh renews, and the older pages the user scrolled to, fetched one at a time with the log's keyset
 * cursor (the oldest id shown): never the whole log.
 */
public final class LogViewModel {
    /** Runs per page: the newest page, then each older one as the user scrolls near the end. */
    public static final int PAGE = 200;

    private final ObservableList<ExecutionRow> rows = FXCollections.observableArrayList();
    // One read-only view per list, kept: a view forwards changes through a weak listener, so a view made
    // per call and listened to would be collected with its listener, and the screen would stop updating.
    private final ObservableList<ExecutionRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final BooleanProperty onlySelected = new SimpleBooleanProperty(this, "onlySelected", true);
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "Execution log");
    private final int pageSize;

    /** Whose runs the rows are: a target id, or null for all; meaningful once {@link #shown}. */
    private Long scope;

    private boolean shown;
    /** The oldest run is loaded: there is no older page. */
    private boolean complete;
    /** The keyset cursor of the older page being fetched, or null when none is. */
    private Long loadingBefore;

    LogViewModel(int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("a page holds at least one run: " + pageSize);
        }
        this.pageSize = pageSize;
    }

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

    int pageSize() {
        return pageSize;
    }

    /**
     * Takes a refresh's newest page. Older pages already loaded stay below it, unless more runs came since
     * than a page holds (the two would not meet) or the log is another target's now.
     *
     * @param target whose runs these are, or null for all targets
     */
    void show(TargetRow target, List<ExecutionInfo> newest) {
        title.set(target == null ? "Execution log: all targets" : "Execution log of " + target.label());
        Long now = target == null ? null : target.id();
        boolean full = newest.size() == pageSize;
        boolean gap = full
                && !rows.isEmpty()
                && newest.get(newest.size() - 1).id() > rows.get(0).id();
        if (!shown || !Objects.equals(scope, now) || gap) {
            shown = true;
            scope = now;
            loadingBefore = null;
            complete = !full;
            rows.setAll(newest.stream().map(ExecutionRow::new).toList());
            return;
        }
        long oldestNew = newest.isEmpty()
                ? Long.MAX_VALUE
                : newest.get(newest.size() - 1).id();
        List<ExecutionInfo> wanted = new ArrayList<>(newest);
        for (ExecutionRow r : rows) {
            if (r.id() < oldestNew) {
                wanted.add(r.info());
            }
        }
        RowSync.merge(rows, wanted, ExecutionInfo::id, ExecutionRow::new);
    }

    /**
     * Starts fetching the next older page, unless one is being fetched, the oldest run is loaded, or nothing
     * is shown yet.
     *
     * @return the keyset cursor to ask with (the oldest id shown), or null when there is nothing to fetch
     */
    Long startOlderPage() {
        if (!shown || complete || loadingBefore != null || rows.isEmpty()) {
            return null;
        }
        loadingBefore = rows.get(rows.size() - 1).id();
        return loadingBefore;
    }

    /** Whose runs an older page is asked for: a target id, or null for all. */
    Long scope() {
        return scope;
    }

    /**
     * Appends an older page fetched with {@code before}; dropped when the log was reset meanwhile (another
     * target, a gap, a reconnect).
     */
    void olderPage(Long forScope, long before, List<ExecutionInfo> page) {
        if (loadingBefore == null || loadingBefore != before || !Objects.equals(scope, forScope)) {
            return;
        }
        loadingBefore = null;
        complete = page.size() < pageSize;
        rows.addAll(page.stream()
                .filter(e -> e.id() < before)
                .map(ExecutionRow::new)
                .toList());
    }

    /** The older page could not be fetched: the next scroll near the end asks again. */
    void olderPageFailed() {
        loadingBefore = null;
    }

    void clear() {
        title.set("Execution log");
        rows.clear();
        shown = false;
        scope = null;
        loadingBefore = null;
        complete = false;
    }
}
