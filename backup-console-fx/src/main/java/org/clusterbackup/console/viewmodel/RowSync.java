package org.clusterbackup.console.viewmodel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import javafx.collections.ObservableList;

/**
 * Brings a list of rows to what the server just sent with the fewest changes: rows whose id is still there
 * stay the same objects (updated in place), new ones are inserted where the server's order puts them, gone
 * ones removed. A table over the list therefore keeps its selection and scroll position across refreshes,
 * which replacing the whole list would lose.
 */
final class RowSync {
    private RowSync() {}

    static <T, R extends Row<T>> void merge(
            ObservableList<R> rows, List<T> items, ToLongFunction<T> idOf, Function<T, R> create) {
        Map<Long, R> byId = new HashMap<>();
        for (R r : rows) {
            byId.put(r.id(), r);
        }
        Set<R> old = Collections.newSetFromMap(new IdentityHashMap<>());
        old.addAll(rows);
        List<R> wanted = new ArrayList<>(items.size());
        for (T item : items) {
            R r = byId.get(idOf.applyAsLong(item));
            if (r == null) {
                r = create.apply(item);
            } else {
                r.update(item);
            }
            wanted.add(r);
        }
        Set<R> keep = Collections.newSetFromMap(new IdentityHashMap<>());
        keep.addAll(wanted);
        if (rows.stream().anyMatch(r -> !keep.contains(r))) {
            rows.removeIf(r -> !keep.contains(r));
        }
        for (int i = 0; i < wanted.size(); i++) {
            R w = wanted.get(i);
            if (i < rows.size() && rows.get(i) == w) {
                continue;
            }
            if (old.contains(w)) {
                // The server reordered rows it had sent before: rare enough to simply take its order whole.
                rows.setAll(wanted);
                return;
            }
            rows.add(i, w);
        }
    }
}
