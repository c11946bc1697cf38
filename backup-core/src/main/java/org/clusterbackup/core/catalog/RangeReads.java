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
            List<ExecutionRanges.Range> batch = Rows.all(
                    db,
                    ExecutionRanges.SELECT + where.sql() + " ORDER BY r.last_id DESC LIMIT " + BATCH,
                    ExecutionRanges::range,
                    where.params());
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
     * {@code limit} runs are found or the oldest range is passed. A window {@code [low, high)} reads the
     * ranges that start at most {@link ExecutionRanges#MAX_ID_SPAN} below it and end inside or above it; the
     * first window of a query without a cursor reads those ending in it, the newest ones.
     */
    private static List<Execution> ofAll(Connection db, ExecutionQuery query) throws SQLException {
        Optional<Long> first = Rows.first(
                db, "SELECT first_id FROM execution_ranges ORDER BY first_id LIMIT 1", r -> r.getLong("first_id"));
        if (first.isEmpty()) {
            return List.of();
        }
        long oldest = first.get();
        List<Execution> out = new ArrayList<>();
        long high = query.beforeId() == null ? Long.MAX_VALUE : query.beforeId();
        boolean head = query.beforeId() == null;
        if (head) {
            high = Rows.first(
                                    db,
                                    "SELECT last_id FROM execution_ranges ORDER BY last_id DESC LIMIT 1",
                                    r -> r.getLong("last_id"))
                            .orElseThrow()
                    + 1;
        }
        long step = query.limit() == 0 ? Long.MAX_VALUE : Math.max(256L, 4L * query.limit());
        while (high > oldest) {
            long low = step >= high - oldest ? oldest : high - step;
            Filter where = timeFilter(query).and("r.last_id >= ?", low);
            if (!head) {
                where = where.and("r.first_id < ?", high).and("r.first_id >= ?", low - ExecutionRanges.MAX_ID_SPAN);
            }
            for (ExecutionRanges.Range r :
                    Rows.all(db, ExecutionRanges.SELECT + where.sql(), ExecutionRanges::range, where.params())) {
                addRuns(r, query, low, high, out);
            }
            if (query.limit() > 0 && out.size() >= query.limit()) {
                break;
            }
            high = low;
            head = false;
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
