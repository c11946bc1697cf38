package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.clusterbackup.core.model.RunTrigger;

/**
 * The migration that introduced execution ranges, after its SQL: every UNCHANGED row already in
 * {@code executions} is moved into ranges by the same rules a run finishing now follows, so an upgraded
 * catalog holds what it would hold had it always kept ranges. It walks each target's rows in id order once,
 * streamed, and writes each range once.
 */
final class RangeConversion {
    private RangeConversion() {}

    static void convert(Connection db) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(SqliteExecutions.SELECT + " ORDER BY e.target_id, e.id")) {
            ps.setFetchSize(1000); // PostgreSQL streams inside the migration's transaction rather than loading all
            try (ResultSet rs = ps.executeQuery()) {
                Rows.Row row = new Rows.Row(rs);
                Pending open = null;
                while (rs.next()) {
                    Execution e = SqliteExecutions.execution(row);
                    if (open != null && (open.targetId != e.targetId() || !open.takes(e))) {
                        open.write(db);
                        open = null;
                    }
                    if (ExecutionRanges.rangeable(e)) {
                        if (open == null) {
                            open = new Pending(e);
                        } else {
                            open.add(e);
                        }
                    }
                }
                if (open != null) {
                    open.write(db);
                }
            }
        }
        Rows.update(db, "DELETE FROM executions WHERE " + ExecutionRanges.RANGEABLE_ROWS);
    }

    /** A range being gathered: its shared values and its runs so far. */
    private static final class Pending {
        final long targetId;
        final RunTrigger trigger;
        final Long archiveId;
        final Integer files;
        final List<String> warnings;
        long[] ids = new long[16];
        long[] starts = new long[16];
        long[] finishes = new long[16];
        long[] bytes = new long[16];
        int size;

        Pending(Execution first) {
            targetId = first.targetId();
            trigger = first.trigger();
            archiveId = first.archiveId();
            files = first.files();
            warnings = first.warnings();
            add(first);
        }

        /** Whether {@code e} continues this range (a row that is not rangeable ends it). */
        boolean takes(Execution e) {
            return ExecutionRanges.rangeable(e)
                    && ExecutionRanges.joins(ids[0], ids[size - 1], size, trigger, archiveId, files, warnings, e);
        }

        void add(Execution e) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                starts = Arrays.copyOf(starts, size * 2);
                finishes = Arrays.copyOf(finishes, size * 2);
                bytes = Arrays.copyOf(bytes, size * 2);
            }
            ids[size] = e.id();
            starts[size] = e.startedAt().toEpochMilli();
            finishes[size] = e.finishedAt().toEpochMilli();
            bytes[size] = e.bytesReceived();
            size++;
        }

        /** Into the table as this migration made it (version 6): first id its key, no span level. */
        void write(Connection db) throws SQLException {
            RangeRuns runs = new RangeRuns(
                    Arrays.copyOf(ids, size),
                    Arrays.copyOf(starts, size),
                    Arrays.copyOf(finishes, size),
                    Arrays.copyOf(bytes, size));
            Rows.update(
                    db,
                    "INSERT INTO execution_ranges (first_id, target_id, last_id, runs, trigger, archive_id, files,"
                            + " warnings, min_started_at, max_started_at, max_finished_at, runs_data)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    runs.encode());
        }
    }
}
