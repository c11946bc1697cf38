package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the execution ranges whose ids overlap a window {@code [low, high)} through an index, reading no other
 * range (since SQLite's version 7, PostgreSQL's 5). A B-tree orders ranges by one end only, and ranges of many
 * targets overlap, so each range also records its <em>span level</em>: the bit length of
 * {@code last_id − first_id}, hence a span below {@code 2^level}. Among the ranges of one level, those that can
 * reach {@code low} start above {@code low − 2^level}; the index {@code (span_level, first_id)} gives them in
 * one range scan per level, and at most about half of what a level's scan reads ends before {@code low}.
 * Levels run from 0 (one run) to 25 (the longest span a range may have, {@link ExecutionRanges#MAX_ID_SPAN}).
 * Both tables of ranges, open and sealed, have that index (since SQLite's version 9, PostgreSQL's 7).
 */
final class RangeWindows {
    /** Span levels 0 to 25: {@code 2^24} itself has bit length 25. */
    static final int LEVELS = 64 - Long.numberOfLeadingZeros(ExecutionRanges.MAX_ID_SPAN) + 1;

    private RangeWindows() {}

    /** The span level of a range of runs {@code firstId..lastId}: its span is below {@code 2^level}. */
    static int level(long firstId, long lastId) {
        return 64 - Long.numberOfLeadingZeros(lastId - firstId);
    }

    /**
     * The ranges overlapping {@code [low, high)} that also meet {@code conditions} (over {@code r.}, with their
     * {@code values} in order), in no particular order: open and sealed ones, in one statement.
     */
    static List<ExecutionRanges.Range> overlapping(
            Connection db, long low, long high, List<String> conditions, List<Object> values) throws SQLException {
        List<String> parts = new ArrayList<>(2 * LEVELS);
        List<Object> params = new ArrayList<>();
        String extra = conditions.isEmpty() ? "" : " AND " + String.join(" AND ", conditions);
        for (String table : List.of(ExecutionRanges.OPEN, ExecutionRanges.SEALED)) {
            for (int level = 0; level < LEVELS; level++) {
                parts.add(table + " WHERE r.span_level = ? AND r.first_id > ? AND r.first_id < ? AND r.last_id >= ?"
                        + extra);
                params.add(level);
                // saturating: low - 2^level below Long.MIN_VALUE reads as "no lower bound"
                params.add(low < Long.MIN_VALUE + (1L << level) ? Long.MIN_VALUE : low - (1L << level));
                params.add(high);
                params.add(low);
                params.addAll(values);
            }
        }
        return Rows.all(db, String.join(" UNION ALL ", parts), ExecutionRanges::range, params.toArray());
    }

    /**
     * The lowest ({@code MIN}) or highest ({@code MAX}) first id of any range, open or sealed: one seek per
     * span level in each table's index {@code (span_level, first_id)}; empty when there is no range.
     */
    static java.util.Optional<Long> extremeFirstId(Connection db, String minOrMax) throws SQLException {
        List<String> parts = new ArrayList<>(2 * LEVELS);
        List<Object> params = new ArrayList<>();
        for (String table : List.of("open_ranges", "execution_ranges")) {
            for (int level = 0; level < LEVELS; level++) {
                parts.add("SELECT " + minOrMax + "(first_id) AS f FROM " + table + " WHERE span_level = ?");
                params.add(level);
            }
        }
        return Rows.first(
                        db,
                        "SELECT " + minOrMax + "(f) AS first_id FROM (" + String.join(" UNION ALL ", parts) + ") x",
                        r -> java.util.Optional.ofNullable(r.longOrNull("first_id")),
                        params.toArray())
                .flatMap(o -> o);
    }
}
