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
 * Consecutive UNCHANGED runs of one target, one row each range (see docs/STORAGE.md, "Execution ranges"):
 * each target's newest range in {@code open_ranges}, rewritten as runs join it, and the others, sealed, in
 * {@code execution_ranges}, written once each at its end. A run joins its target's newest range when nothing else of the
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

    /** What a read of ranges selects, from either table ({@code r}) joined with the target ({@code t}). */
    static final String COLUMNS = "r.first_id AS first_id, r.last_id AS last_id, r.runs AS runs,"
            + " r.min_started_at AS min_started_at, r.target_id AS target_id, t.node AS node, t.port AS port,"
            + " t.path AS path, r.trigger AS trigger, r.archive_id AS archive_id, r.files AS files,"
            + " r.warnings AS warnings, r.runs_data AS runs_data";

    /** The open ranges, one per target at most: each target's newest. */
    static final String OPEN = "SELECT " + COLUMNS + " FROM open_ranges r JOIN targets t ON t.id = r.target_id";

    /** The sealed ranges. */
    static final String SEALED = "SELECT " + COLUMNS + " FROM execution_ranges r JOIN targets t ON t.id = r.target_id";

    /**
     * One statement over both tables, the open ranges first, each arm with {@code where} (conditions over
     * {@code r.}, with a leading " WHERE", or empty); bind {@link #twice} its parameters. One statement sees
     * one snapshot, so a range sealed meanwhile is read once, from one table or the other.
     */
    static String both(String where) {
        return OPEN + where + " UNION ALL " + SEALED + where;
    }

    static Object[] twice(Object... params) {
        Object[] out = java.util.Arrays.copyOf(params, params.length * 2);
        System.arraycopy(params, 0, out, params.length, params.length);
        return out;
    }

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
        RangeRuns runs = RangeRuns.decode(
                r.bytes("runs_data"), r.getLong("first_id"), r.getInt("runs"), r.getLong("min_started_at"));
        if (runs.lastId() != r.getLong("last_id")) {
            throw new CatalogException(
                    "a range's runs are damaged: they end at " + runs.lastId() + ", not " + r.getLong("last_id"));
        }
        return new Range(
                r.getLong("target_id"),
                r.text("node"),
                r.getInt("port"),
                r.text("path"),
                r.enumOrNull("trigger", RunTrigger.class),
                r.longOrNull("archive_id"),
                r.intOrNull("files"),
                WarningsColumn.decode(r.text("warnings")),
                runs);
    }

    /**
     * Moves a finished, {@link #rangeable} execution from {@code executions} into its target's open range, or
     * a new one: the log reads the same afterwards. A target's open range is its newest; it is rewritten in
     * place as runs join it, and sealed — written once into {@code execution_ranges}, where rows are only ever
     * appended — when a run starts a newer range (see docs/STORAGE.md, "Execution ranges").
     */
    static void absorb(Connection db, Execution e) throws SQLException {
        Optional<Range> open = Rows.first(db, OPEN + " WHERE r.target_id = ?", ExecutionRanges::range, e.targetId());
        RangeRuns alone = RangeRuns.one(e.id(), millis(e.startedAt()), millis(e.finishedAt()), e.bytesReceived());
        long finished = millis(e.finishedAt());
        if (open.isEmpty()) {
            write(db, "INSERT INTO open_ranges", e, alone, finished);
        } else if (e.id() < open.get().runs().lastId()) {
            // finished after a newer run of its target was ranged: a range of its own, never the newest
            write(db, "INSERT INTO execution_ranges", e, alone, null);
            later(db, e.targetId(), finished);
        } else {
            Range r = open.get();
            boolean joins =
                    r.canTake(e) && !othersBetween(db, e.targetId(), r.runs().lastId(), e.id());
            if (!joins) {
                seal(db, e.targetId());
            }
            replace(db, e, joins ? r.runs().plus(e.id(), millis(e.startedAt()), finished, e.bytesReceived()) : alone);
            later(db, e.targetId(), finished);
        }
        Rows.update(db, "DELETE FROM executions WHERE id = ?", e.id());
    }

    private static void write(Connection db, String insert, Execution e, RangeRuns runs, Long successAt)
            throws SQLException {
        write(db, insert, e.targetId(), e.trigger(), e.archiveId(), e.files(), e.warnings(), runs, successAt);
    }

    /** The shared columns of a range row, its runs' bounds and runs, in the order {@link #write} binds them. */
    static final String RANGE_COLUMNS = "target_id, first_id, last_id, span_level, runs, trigger, archive_id, files,"
            + " warnings, min_started_at, max_started_at, runs_data";

    /** Copies a target's open range, as it is, to the end of {@code execution_ranges}. */
    static void seal(Connection db, long targetId) throws SQLException {
        Rows.update(
                db,
                "INSERT INTO execution_ranges (" + RANGE_COLUMNS + ") SELECT " + RANGE_COLUMNS
                        + " FROM open_ranges WHERE target_id = ?",
                targetId);
    }

    /** Rewrites the open range of {@code e}'s target in place: its runs now {@code runs}, shared values {@code e}'s. */
    private static void replace(Connection db, Execution e, RangeRuns runs) throws SQLException {
        Rows.update(
                db,
                "UPDATE open_ranges SET first_id = ?, last_id = ?, span_level = ?, runs = ?, trigger = ?,"
                        + " archive_id = ?, files = ?, warnings = ?, min_started_at = ?, max_started_at = ?,"
                        + " runs_data = ? WHERE target_id = ?",
                runs.firstId(),
                runs.lastId(),
                RangeWindows.level(runs.firstId(), runs.lastId()),
                runs.size(),
                e.trigger().name(),
                e.archiveId(),
                e.files(),
                WarningsColumn.encode(e.warnings()),
                runs.minStartedAt(),
                runs.maxStartedAt(),
                runs.encode(),
                e.targetId());
    }

    /** Raises the open range's {@code success_at}, the latest end of any ranged run of its target, to {@code at}. */
    private static void later(Connection db, long targetId, long at) throws SQLException {
        Rows.update(
                db, "UPDATE open_ranges SET success_at = ? WHERE target_id = ? AND success_at < ?", at, targetId, at);
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
     * Writes a range row: {@code insert} is "INSERT INTO" one of the two tables; {@code successAt} is the open
     * range's {@code success_at} (null for a sealed range, which has none).
     */
    static void write(
            Connection db,
            String insert,
            long targetId,
            RunTrigger trigger,
            Long archiveId,
            Integer files,
            List<String> warnings,
            RangeRuns runs,
            Long successAt)
            throws SQLException {
        Object[] values = {
            targetId,
            runs.firstId(),
            runs.lastId(),
            RangeWindows.level(runs.firstId(), runs.lastId()),
            runs.size(),
            trigger.name(),
            archiveId,
            files,
            WarningsColumn.encode(warnings),
            runs.minStartedAt(),
            runs.maxStartedAt(),
            runs.encode()
        };
        String marks = String.join(", ", java.util.Collections.nCopies(values.length, "?"));
        if (successAt == null) {
            Rows.update(db, insert + " (" + RANGE_COLUMNS + ") VALUES (" + marks + ")", values);
        } else {
            Object[] withSuccess = java.util.Arrays.copyOf(values, values.length + 1);
            withSuccess[values.length] = successAt;
            Rows.update(db, insert + " (" + RANGE_COLUMNS + ", success_at) VALUES (" + marks + ", ?)", withSuccess);
        }
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
