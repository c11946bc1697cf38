package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RunTrigger;

/**
 * The {@code execution_ranges} table: consecutive UNCHANGED runs of one target, one row each range (see
 * docs/STORAGE.md, "Execution ranges"). A run joins its target's newest range when nothing else of the
 * target happened between them and it shares the range's trigger, archive, file count and warnings;
 * otherwise it starts a range of its own. So the runs of a target's ranges and its rows left in
 * {@code executions} never interleave: each range covers an interval of ids that holds no other run of its
 * target, which is what lets a reader merge them by id.
 */
final class ExecutionRanges {
    /** Runs per range at most: bounds what one append re-encodes and one read decodes (about a day a minute). */
    static final int MAX_RUNS = 1024;
    /**
     * Ids a range spans at most (last id − first id): a reader looking for the runs near an id finds every
     * range that can hold them among those that start at most this far below it.
     */
    static final long MAX_ID_SPAN = 1L << 24;

    static final String COLUMNS = "r.first_id AS first_id, r.target_id AS target_id, t.node AS node,"
            + " t.port AS port, t.path AS path, r.trigger AS trigger, r.archive_id AS archive_id, r.files AS files,"
            + " r.warnings AS warnings, r.runs_data AS runs_data";
    static final String SELECT = "SELECT " + COLUMNS + " FROM execution_ranges r JOIN targets t ON t.id = r.target_id";

    private ExecutionRanges() {}

    /** A range row, its runs decoded, with its target's address. */
    record Range(
            long targetId,
            String node,
            int port,
            String path,
            RunTrigger trigger,
            Long archiveId,
            Integer files,
            List<String> warnings,
            RangeRuns runs) {
        Range {
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(runs, "runs");
            warnings = List.copyOf(warnings);
        }

        /** Run {@code i} (0 the oldest) as the log shows it. */
        Execution execution(int i) {
            return new Execution(
                    runs.id(i),
                    targetId,
                    node,
                    port,
                    path,
                    trigger,
                    Instant.ofEpochMilli(runs.startedAt(i)),
                    Instant.ofEpochMilli(runs.finishedAt(i)),
                    Outcome.UNCHANGED,
                    runs.bytes(i),
                    archiveId,
                    files,
                    null,
                    null,
                    warnings,
                    null);
        }

        Execution newest() {
            return execution(runs.size() - 1);
        }

        /** Whether {@code e}, finished after this range's last run, may be stored as part of it. */
        boolean canTake(Execution e) {
            return joins(runs.firstId(), runs.lastId(), runs.size(), trigger, archiveId, files, warnings, e);
        }
    }

    /** Whether {@code e} may follow the runs {@code firstId..lastId} ({@code size} of them) sharing these values. */
    static boolean joins(
            long firstId,
            long lastId,
            int size,
            RunTrigger trigger,
            Long archiveId,
            Integer files,
            List<String> warnings,
            Execution e) {
        return e.id() > lastId
                && size < MAX_RUNS
                && e.id() - firstId <= MAX_ID_SPAN
                && trigger == e.trigger()
                && Objects.equals(archiveId, e.archiveId())
                && Objects.equals(files, e.files())
                && warnings.equals(e.warnings());
    }

    /** Whether an execution can be kept in a range: a run that ended UNCHANGED, as every such run does. */
    static boolean rangeable(Execution e) {
        return e.outcome() == Outcome.UNCHANGED
                && e.finishedAt() != null
                && e.error() == null
                && e.failureKind() == null
                && e.transfer() == null;
    }

    /** The SQL twin of {@link #rangeable}, over {@code executions}: the rows the migration converts. */
    static final String RANGEABLE_ROWS = "outcome = 'UNCHANGED' AND finished_at IS NOT NULL AND error IS NULL"
            + " AND failure_kind IS NULL AND transfer IS NULL";

    static Range range(Rows.Row r) throws SQLException {
        return new Range(
                r.getLong("target_id"),
                r.text("node"),
                r.getInt("port"),
                r.text("path"),
                r.enumOrNull("trigger", RunTrigger.class),
                r.longOrNull("archive_id"),
                r.intOrNull("files"),
                WarningsColumn.decode(r.text("warnings")),
                RangeRuns.decode(r.bytes("runs_data")));
    }

    /**
     * Moves a finished, {@link #rangeable} execution from {@code executions} into its target's newest range,
     * or a new one: the log reads the same afterwards.
     */
    static void absorb(Connection db, Execution e) throws SQLException {
        Optional<Range> newest = Rows.first(
                db,
                SELECT + " WHERE r.target_id = ? ORDER BY r.last_id DESC LIMIT 1",
                ExecutionRanges::range,
                e.targetId());
        if (newest.isPresent()
                && newest.get().canTake(e)
                && !othersBetween(db, e.targetId(), newest.get().runs().lastId(), e.id())) {
            Range r = newest.get();
            update(
                    db,
                    r.runs().firstId(),
                    r.runs().plus(e.id(), millis(e.startedAt()), millis(e.finishedAt()), e.bytesReceived()));
        } else {
            insert(
                    db,
                    true,
                    e.targetId(),
                    e.trigger(),
                    e.archiveId(),
                    e.files(),
                    e.warnings(),
                    RangeRuns.one(e.id(), millis(e.startedAt()), millis(e.finishedAt()), e.bytesReceived()));
        }
        Rows.update(db, "DELETE FROM executions WHERE id = ?", e.id());
    }

    /** Whether a row of {@code executions} of the target lies strictly between two of its runs. */
    private static boolean othersBetween(Connection db, long targetId, long after, long before) throws SQLException {
        return Rows.first(
                        db,
                        "SELECT id FROM executions WHERE target_id = ? AND id > ? AND id < ? LIMIT 1",
                        r -> r.getLong("id"),
                        targetId,
                        after,
                        before)
                .isPresent();
    }

    /**
     * Adds a range row. {@code levels} false writes the table as the migration that created it left it, without
     * span levels, for that migration's step ({@link RangeConversion}); the next migration adds them.
     */
    static void insert(
            Connection db,
            boolean levels,
            long targetId,
            RunTrigger trigger,
            Long archiveId,
            Integer files,
            List<String> warnings,
            RangeRuns runs)
            throws SQLException {
        Rows.update(
                db,
                "INSERT INTO execution_ranges (first_id, target_id, last_id, runs, trigger, archive_id,"
                        + " files, warnings, min_started_at, max_started_at, max_finished_at, runs_data"
                        + (levels
                                ? ", span_level) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                : ")" + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                levels
                        ? withLevel(values(targetId, trigger, archiveId, files, warnings, runs), runs)
                        : values(targetId, trigger, archiveId, files, warnings, runs));
    }

    private static Object[] values(
            long targetId, RunTrigger trigger, Long archiveId, Integer files, List<String> warnings, RangeRuns runs) {
        return new Object[] {
            runs.firstId(),
            targetId,
            runs.lastId(),
            runs.size(),
            trigger.name(),
            archiveId,
            files,
            WarningsColumn.encode(warnings),
            runs.minStartedAt(),
            runs.maxStartedAt(),
            runs.maxFinishedAt(),
            runs.encode()
        };
    }

    private static Object[] withLevel(Object[] values, RangeRuns runs) {
        Object[] out = java.util.Arrays.copyOf(values, values.length + 1);
        out[values.length] = RangeWindows.level(runs.firstId(), runs.lastId());
        return out;
    }

    private static void update(Connection db, long firstId, RangeRuns runs) throws SQLException {
        Rows.update(
                db,
                "UPDATE execution_ranges SET last_id = ?, span_level = ?, runs = ?, min_started_at = ?,"
                        + " max_started_at = ?, max_finished_at = ?, runs_data = ? WHERE first_id = ?",
                runs.lastId(),
                RangeWindows.level(runs.firstId(), runs.lastId()),
                runs.size(),
                runs.minStartedAt(),
                runs.maxStartedAt(),
                runs.maxFinishedAt(),
                runs.encode(),
                firstId);
    }

    /** Whether some range holds the run with this id (ranges of several targets may span it; few hold it). */
    static boolean holds(Connection db, long id) throws SQLException {
        for (Range r : RangeWindows.overlapping(db, id, id + 1, List.of(), List.of())) {
            for (int i = 0; i < r.runs().size(); i++) {
                if (r.runs().id(i) == id) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long millis(Instant t) {
        return t.toEpochMilli();
    }
}
