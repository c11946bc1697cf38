package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.clusterbackup.core.model.Outcome;

/**
 * Reads an {@link ExecutionQuery} over both homes of executions — rows of {@code executions} and runs kept
 * in {@code execution_ranges} — as one log, newest (highest id) first, exactly as if every run had a row.
 * The rows come from {@code looseRows} (the query's own SQL, filtered and limited there); this class finds
 * the ranges' runs the query selects and merges the two by id.
 */
final class RangeReads {
    /** Ranges read per statement while walking one target's ranges newest first. */
    private static final int BATCH = 8;

    private static final Comparator<Execution> NEWEST_FIRST =
            Comparator.comparingLong(Execution::id).reversed();

    private RangeReads() {}

    /** Reads the rows of {@code executions} a query selects, newest first, at most its limit. */
    @FunctionalInterface
    interface LooseRows {
        List<Execution> read(Connection db, ExecutionQuery query) throws SQLException;
    }

    static List<Execution> executions(Connection db, ExecutionQuery query, LooseRows looseRows) throws SQLException {
        List<Execution> loose = looseRows.read(db, query);
        if (query.outcome() != null && query.outcome() != Outcome.UNCHANGED) {
            return loose; // ranges hold UNCHANGED runs only
        }
        List<Execution> ranged = query.targetId() != null ? ofTarget(db, query) : ofAll(db, query);
        return merge(ranged, loose, query.limit());
    }

    /**
     * Both lists as one, newest first, at most {@code limit} (0: all). A run read as a row and then again in
     * a range — moved there between the two statements of a reader without a snapshot (PostgreSQL's READ
     * COMMITTED) — is listed once, as the range has it; read in the other order, it could have been missed.
     */
    static List<Execution> merge(List<Execution> ranged, List<Execution> loose, int limit) {
        List<Execution> all = new ArrayList<>(ranged.size() + loose.size());
        all.addAll(ranged);
        all.addAll(loose);
        all.sort(NEWEST_FIRST); // stable: of two with one id, the range's stays first
        List<Execution> out = new ArrayList<>(all.size());
        for (Execution e : all) {
            if (out.isEmpty() || out.get(out.size() - 1).id() != e.id()) {
                out.add(e);
                if (limit > 0 && out.size() == limit) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * One target's ranges cover disjoint id intervals, so walking them newest first yields their runs in id
     * order, and once {@code limit} runs are in hand no older range can place one among the newest.
     */
    private static List<Execution> ofTarget(Connection db, ExecutionQuery query) throws SQLException {
        List<Execution> out = new ArrayList<>();
        long below = query.beforeId() == null ? Long.MAX_VALUE : query.beforeId();
        while (true) {
            Filter where =
                    timeFilter(query).and("r.target_id = ?", query.targetId()).and("r.first_id < ?", below);
            // the open range (one per target, its newest) and the sealed ones, in one statement
            List<ExecutionRanges.Range> batch = Rows.all(
                    db,
                    ExecutionRanges.both(where.sql()) + " ORDER BY last_id DESC LIMIT " + BATCH,
                    ExecutionRanges::range,
                    ExecutionRanges.twice(where.params()));
            for (ExecutionRanges.Range r : batch) {
                addRuns(r, query, Long.MIN_VALUE, below, out);
                below = r.runs().firstId();
            }
            if (batch.size() < BATCH || (query.limit() > 0 && out.size() >= query.limit())) {
                return out;
            }
        }
    }

    /**
     * Every target's: ranges of many targets overlap in ids, so the runs are gathered window by window
     * downwards from the cursor, each window's runs complete before the next is read, and windows grow until
     * {@code limit} runs are found or the oldest range that can hold a selected run is passed. A window reads
     * only the ranges that overlap it ({@link RangeWindows}); the first one of a query without a cursor reaches
     * up to the newest run. With {@code since}, ranges whose runs all started before it are not read at all:
     * the walk stops at the oldest range that ran since then (index on {@code max_started_at}).
     */
    private static List<Execution> ofAll(Connection db, ExecutionQuery query) throws SQLException {
        Optional<Long> bottom;
        if (query.since() == null) {
            bottom = RangeWindows.extremeFirstId(db, "MIN");
        } else {
            // the ranges the indexes on max_started_at find, open and sealed
            long since = query.since().toEpochMilli();
            bottom = Rows.first(
                            db,
                            "SELECT MIN(f) AS first_id FROM (SELECT MIN(first_id) AS f FROM open_ranges"
                                    + " WHERE max_started_at >= ? UNION ALL SELECT MIN(first_id) AS f"
                                    + " FROM execution_ranges WHERE max_started_at >= ?) x",
                            r -> Optional.ofNullable(r.longOrNull("first_id")),
                            since,
                            since)
                    .flatMap(o -> o);
        }
        if (bottom.isEmpty()) {
            return List.of();
        }
        long oldest = bottom.get();
        List<Execution> out = new ArrayList<>();
        long step = query.limit() == 0 ? Long.MAX_VALUE : Math.max(256L, 4L * query.limit());
        long high = Long.MAX_VALUE;
        long top; // the window's lower end is this minus the step
        if (query.beforeId() != null) {
            high = query.beforeId();
            top = high;
        } else {
            // the newest range starts at or below the newest run: a first window down from its start holds the head
            top = RangeWindows.extremeFirstId(db, "MAX").orElseThrow();
        }
        Filter time = timeFilter(query);
        while (high > oldest) {
            long low = step >= top - oldest ? oldest : top - step;
            for (ExecutionRanges.Range r : RangeWindows.overlapping(db, low, high, time.conditions(), time.values())) {
                addRuns(r, query, low, high, out);
            }
            if (query.limit() > 0 && out.size() >= query.limit()) {
                break;
            }
            high = low;
            top = low;
            step = step > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : step * 2;
        }
        return out;
    }

    /** Adds the runs of {@code r} with ids in {@code [low, high)} that the query selects. */
    private static void addRuns(
            ExecutionRanges.Range r, ExecutionQuery query, long low, long high, List<Execution> out) {
        RangeRuns runs = r.runs();
        long before = query.beforeId() == null ? Long.MAX_VALUE : query.beforeId();
        long since = query.since() == null ? Long.MIN_VALUE : query.since().toEpochMilli();
        long until = query.until() == null ? Long.MAX_VALUE : query.until().toEpochMilli();
        for (int i = runs.size() - 1; i >= 0; i--) {
            long id = runs.id(i);
            if (id >= low && id < high && id < before && runs.startedAt(i) >= since && runs.startedAt(i) < until) {
                out.add(r.execution(i));
            }
        }
    }

    /** Ranges that may hold a run started in {@code [since, until)}. */
    private static Filter timeFilter(ExecutionQuery query) {
        Filter f = new Filter(List.of(), List.of());
        if (query.since() != null) {
            f = f.and("r.max_started_at >= ?", query.since().toEpochMilli());
        }
        if (query.until() != null) {
            f = f.and("r.min_started_at < ?", query.until().toEpochMilli());
        }
        return f;
    }

    /** A WHERE clause built condition by condition, with its parameters in order. */
    private record Filter(List<String> conditions, List<Object> values) {
        Filter and(String condition, Object value) {
            List<String> c = new ArrayList<>(conditions);
            c.add(condition);
            List<Object> v = new ArrayList<>(values);
            v.add(value);
            return new Filter(List.copyOf(c), List.copyOf(v));
        }

        String sql() {
            return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        }

        Object[] params() {
            return values.toArray();
        }
    }
}
