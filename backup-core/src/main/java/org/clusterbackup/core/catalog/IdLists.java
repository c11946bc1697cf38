package org.clusterbackup.core.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads of a set of rows by id: {@code IN (?, …)} lists of at most {@link #CHUNK} ids per statement, SQL
 * that SQLite and PostgreSQL run the same way. The bound keeps every statement under SQLite's limit on
 * bound parameters (999 in older builds) and a statement's plan small, whatever the number of ids.
 */
final class IdLists {
    static final int CHUNK = 500;

    private IdLists() {}

    /** The distinct ids in ascending order, cut into lists of at most {@link #CHUNK}. */
    static List<List<Long>> chunks(Collection<Long> ids) {
        List<Long> sorted = new ArrayList<>(new TreeSet<>(ids));
        List<List<Long>> out = new ArrayList<>();
        for (int from = 0; from < sorted.size(); from += CHUNK) {
            out.add(sorted.subList(from, Math.min(sorted.size(), from + CHUNK)));
        }
        return out;
    }

    /** {@code "(?, ?, ?)"} for a list of {@code n} ids. */
    static String in(int n) {
        return "(" + String.join(", ", Collections.nCopies(n, "?")) + ")";
    }
}
