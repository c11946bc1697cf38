package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RunTrigger;

/**
 * The execution log: runs in progress, stored and failed in {@code executions} (read joined with each run's
 * target), and UNCHANGED runs moved on finishing into {@code execution_ranges} ({@link ExecutionRanges}),
 * read back as one log ({@link RangeReads}).
 */
final class SqliteExecutions implements ExecutionLog {
    static final String SELECT = "SELECT e.id AS id, e.target_id AS target_id, t.node AS node, t.port AS port,"
            + " t.path AS path, e.trigger AS trigger, e.started_at AS started_at, e.finished_at AS finished_at,"
            + " e.outcome AS outcome, e.bytes_received AS bytes_received, e.archive_id AS archive_id, e.files AS files,"
            + " e.error AS error, e.failure_kind AS failure_kind, e.warnings AS warnings, e.transfer AS transfer"
            + " FROM executions e JOIN targets t ON t.id = e.target_id";

    private final Database database;
    private final Clock clock;

    SqliteExecutions(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Execution startExecution(Target target, RunTrigger trigger) {
        long now = clock.millis();
        return database.write(db -> {
            long id;
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO executions (target_id, trigger, started_at," + " outcome) VALUES (?, ?, ?, 'RUNNING')",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, target.id());
                ps.setString(2, trigger.name());
                ps.setLong(3, now);
                id = Rows.insert(ps);
            }
            return execution(db, id);
        });
    }

    @Override
    public Execution finishUnchanged(long executionId, Archive confirmed, long bytesReceived, List<String> warnings) {
        long now = clock.millis();
        return database.write(db -> {
            finish(
                    db,
                    executionId,
                    new Finish(
                            now,
                            Outcome.UNCHANGED,
                            bytesReceived,
                            confirmed.id(),
                            confirmed.files(),
                            null,
                            null,
                            warnings,
                            null));
            Execution done = execution(db, executionId);
            if (ExecutionRanges.rangeable(done)) {
                ExecutionRanges.absorb(db, done);
            }
            return done;
        });
    }

    @Override
    public Execution finishFailed(
            long executionId, String error, FailureKind failureKind, long bytesReceived, List<String> warnings) {
        long now = clock.millis();
        return database.write(db -> {
            finish(
                    db,
                    executionId,
                    new Finish(now, Outcome.FAILED, bytesReceived, null, null, error, failureKind, warnings, null));
            return execution(db, executionId);
        });
    }

    @Override
    public int failInterruptedRuns(String reason) {
        long now = clock.millis();
        return database.write(db -> Rows.update(
                db,
                "UPDATE executions SET outcome = 'FAILED', finished_at = ?, error = ?,"
                        + " failure_kind = 'OTHER' WHERE outcome = 'RUNNING'",
                now,
                reason));
    }

    @Override
    public List<Execution> executions(ExecutionQuery query) {
        return database.read(db -> RangeReads.executions(db, query, SqliteExecutions::loose));
    }

    /** The rows of {@code executions} (runs not kept in a range) that {@code query} selects, newest first. */
    private static List<Execution> loose(Connection db, ExecutionQuery query) throws SQLException {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (query.targetId() != null) {
            where.add("e.target_id = ?");
            params.add(query.targetId());
        }
        if (query.since() != null) {
            where.add("e.started_at >= ?");
            params.add(query.since().toEpochMilli());
        }
        if (query.until() != null) {
            where.add("e.started_at < ?");
            params.add(query.until().toEpochMilli());
        }
        if (query.outcome() != null) {
            where.add("e.outcome = ?");
            params.add(query.outcome().name());
        }
        if (query.beforeId() != null) {
            where.add("e.id < ?");
            params.add(query.beforeId());
        }
        String sql = SELECT + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY e.id DESC"
                + (query.limit() > 0 ? " LIMIT " + query.limit() : "");
        return Rows.all(db, sql, SqliteExecutions::execution, params.toArray());
    }

    @Override
    public Map<Long, Execution> lastExecutions() {
        return database.read(db -> {
            Map<Long, Execution> out = new HashMap<>();
            newest(db, "", List.of(), out);
            return out;
        });
    }

    @Override
    public Map<Long, Execution> lastExecutions(Collection<Long> targetIds) {
        return database.read(db -> {
            Map<Long, Execution> out = new HashMap<>();
            for (List<Long> chunk : IdLists.chunks(targetIds)) {
                newest(db, " WHERE target_id IN " + IdLists.in(chunk.size()), chunk, out);
            }
            return out;
        });
    }

    /** Puts into {@code out} the newest execution of each target that {@code where} selects (by {@code target_id}). */
    private static void newest(Connection db, String where, List<Long> params, Map<Long, Execution> out)
            throws SQLException {
        // Rows first, ranges second: a run moved into a range in between is then seen at least once.
        for (Execution e : Rows.all(
                db,
                SELECT + " WHERE e.id IN (SELECT MAX(id) FROM executions" + where + " GROUP BY target_id)",
                SqliteExecutions::execution,
                params.toArray())) {
            out.put(e.targetId(), e);
        }
        // a target's newest range is its open one (one per target, by its primary key)
        for (ExecutionRanges.Range r : Rows.all(
                db,
                ExecutionRanges.OPEN + (where.isEmpty() ? "" : " WHERE r." + where.substring(" WHERE ".length())),
                ExecutionRanges::range,
                params.toArray())) {
            out.merge(r.targetId(), r.newest(), (row, ranged) -> row.id() > ranged.id() ? row : ranged);
        }
    }

    @Override
    public Map<Long, RunSummary> runSummaries() {
        return database.read(db -> runSummaries(db, "t.active = 1", List.of()));
    }

    /** The run summaries of these targets (active or not); a page of them, not the whole registry. */
    @Override
    public Map<Long, RunSummary> runSummaries(List<Long> targetIds) {
        if (targetIds.isEmpty()) {
            return Map.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(targetIds.size(), "?"));
        return database.read(db -> runSummaries(db, "t.id IN (" + marks + ")", targetIds));
    }

    private static Map<Long, RunSummary> runSummaries(Connection db, String where, List<Long> params)
            throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT t.id AS target_id,"
                + " (SELECT id FROM executions e WHERE e.target_id = t.id AND e.outcome != 'RUNNING'"
                + "  ORDER BY e.id DESC LIMIT 1) AS last_id,"
                + " (SELECT outcome FROM executions e WHERE e.target_id = t.id AND e.outcome != 'RUNNING'"
                + "  ORDER BY e.id DESC LIMIT 1) AS last_outcome,"
                + " (SELECT failure_kind FROM executions e WHERE e.target_id = t.id AND e.outcome != 'RUNNING'"
                + "  ORDER BY e.id DESC LIMIT 1) AS last_failure_kind,"
                + " (SELECT MAX(finished_at) FROM executions e WHERE e.target_id = t.id"
                + "  AND e.outcome IN ('STORED', 'UNCHANGED')) AS last_success_at,"
                // every run a range holds ended UNCHANGED: a success; a target's newest range is its open one
                + " (SELECT o.last_id FROM open_ranges o WHERE o.target_id = t.id) AS last_ranged_id,"
                // its open range keeps the latest end of any of its ranged runs (success_at)
                + " (SELECT o.success_at FROM open_ranges o WHERE o.target_id = t.id) AS last_ranged_success_at"
                + " FROM targets t WHERE " + where)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setLong(i + 1, params.get(i));
            }
            Map<Long, RunSummary> out = new HashMap<>();
            for (Map.Entry<Long, RunSummary> e : Rows.all(ps, r -> Map.entry(r.getLong("target_id"), summary(r)))) {
                out.put(e.getKey(), e.getValue());
            }
            return out;
        }
    }

    private static RunSummary summary(Rows.Row r) throws SQLException {
        Long rowId = r.longOrNull("last_id");
        Long rangedId = r.longOrNull("last_ranged_id");
        Instant success = later(r.timeOrNull("last_success_at"), r.timeOrNull("last_ranged_success_at"));
        if (rangedId != null && (rowId == null || rangedId > rowId)) {
            return new RunSummary(Outcome.UNCHANGED, success, null);
        }
        return new RunSummary(
                r.enumOrNull("last_outcome", Outcome.class),
                success,
                r.enumOrNull("last_failure_kind", FailureKind.class));
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    /** How a run ended, as its row records it. */
    record Finish(
            long at,
            Outcome outcome,
            long bytesReceived,
            Long archiveId,
            Integer files,
            String error,
            FailureKind failureKind,
            List<String> warnings,
            String transfer) {}

    /**
     * Ends a RUNNING execution.
     *
     * @throws CatalogException it is not running: a run is finished exactly once
     */
    static void finish(Connection db, long executionId, Finish f) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("UPDATE executions SET finished_at = ?, outcome = ?,"
                + " bytes_received = ?, archive_id = ?, files = ?, error = ?, failure_kind = ?, warnings = ?,"
                + " transfer = ? WHERE id = ? AND outcome = 'RUNNING'")) {
            ps.setLong(1, f.at());
            ps.setString(2, f.outcome().name());
            ps.setLong(3, f.bytesReceived());
            ps.setObject(4, f.archiveId());
            ps.setObject(5, f.files());
            ps.setString(6, f.error());
            ps.setString(7, f.failureKind() == null ? null : f.failureKind().name());
            ps.setString(8, WarningsColumn.encode(f.warnings()));
            ps.setString(9, f.transfer());
            ps.setLong(10, executionId);
            if (ps.executeUpdate() != 1) {
                throw new CatalogException("execution " + executionId + " is not running; it cannot be finished twice");
            }
        }
    }

    /** The target an execution belongs to. */
    static long targetOf(Connection db, long executionId) throws SQLException {
        Optional<Long> target = Rows.first(
                db, "SELECT target_id FROM executions WHERE id = ?", r -> r.getLong("target_id"), executionId);
        if (target.isPresent()) {
            return target.get();
        }
        throw new CatalogException(
                ExecutionRanges.holds(db, executionId)
                        ? "execution " + executionId + " is not running; it cannot be finished twice"
                        : "no execution " + executionId);
    }

    static Execution execution(Connection db, long id) throws SQLException {
        return Rows.first(db, SELECT + " WHERE e.id = ?", SqliteExecutions::execution, id)
                .orElseThrow(() -> new CatalogException("no execution " + id));
    }

    static Execution execution(Rows.Row r) throws SQLException {
        return new Execution(
                r.getLong("id"),
                r.getLong("target_id"),
                r.text("node"),
                r.getInt("port"),
                r.text("path"),
                r.enumOrNull("trigger", RunTrigger.class),
                r.time("started_at"),
                r.timeOrNull("finished_at"),
                r.enumOrNull("outcome", Outcome.class),
                r.getLong("bytes_received"),
                r.longOrNull("archive_id"),
                r.intOrNull("files"),
                r.text("error"),
                r.enumOrNull("failure_kind", FailureKind.class),
                WarningsColumn.decode(r.text("warnings")),
                r.text("transfer"));
    }
}
