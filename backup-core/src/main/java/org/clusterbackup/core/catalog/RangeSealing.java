package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clusterbackup.core.model.RunTrigger;

/**
 * The step of SQLite's migration 9 (PostgreSQL's 7), after its SQL made {@code execution_ranges_v9} and
 * {@code open_ranges}: each target's newest range becomes its open range (with the latest end of all its
 * ranges' runs), every other range a sealed one, appended target by target; every range's runs re-encoded
 * in the new form ({@link RangeRuns}). Then the old table goes and the new one takes its name, all in the
 * migration's transaction.
 */
final class RangeSealing {
    private RangeSealing() {}

    static void convert(Connection db) throws SQLException {
        Map<Long, Long> successAt = new HashMap<>();
        for (long[] row : Rows.all(
                db, "SELECT target_id, MAX(max_finished_at) AS s FROM execution_ranges GROUP BY target_id", r ->
                        new long[] {r.getLong("target_id"), r.getLong("s")})) {
            successAt.put(row[0], row[1]);
        }
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT target_id, first_id, last_id, runs, trigger, archive_id,"
                        + " files, warnings, min_started_at, runs_data FROM execution_ranges ORDER BY target_id, last_id")) {
            ps.setFetchSize(1000); // PostgreSQL streams inside the migration's transaction rather than loading all
            try (ResultSet rs = ps.executeQuery()) {
                Rows.Row row = new Rows.Row(rs);
                Old previous = null;
                while (rs.next()) {
                    Old range = new Old(row);
                    if (previous != null) {
                        previous.write(db, previous.targetId == range.targetId ? null : successAt);
                    }
                    previous = range;
                }
                if (previous != null) {
                    previous.write(db, successAt);
                }
            }
        }
        try (Statement s = db.createStatement()) {
            s.execute("DROP TABLE execution_ranges");
            s.execute("ALTER TABLE execution_ranges_v9 RENAME TO execution_ranges");
        }
    }

    /** A range as the table before held it. */
    private static final class Old {
        final long targetId;
        final RunTrigger trigger;
        final Long archiveId;
        final Integer files;
        final List<String> warnings;
        final RangeRuns runs;

        Old(Rows.Row r) throws SQLException {
            targetId = r.getLong("target_id");
            trigger = r.enumOrNull("trigger", RunTrigger.class);
            archiveId = r.longOrNull("archive_id");
            files = r.intOrNull("files");
            warnings = WarningsColumn.decode(r.text("warnings"));
            runs = RangeRuns.decode(
                    r.bytes("runs_data"), r.getLong("first_id"), r.getInt("runs"), r.getLong("min_started_at"));
        }

        /** As a sealed range, or ({@code successAt} given: it is its target's newest) as the open one. */
        void write(Connection db, Map<Long, Long> successAt) throws SQLException {
            ExecutionRanges.write(
                    db,
                    successAt == null ? "INSERT INTO execution_ranges_v9" : "INSERT INTO open_ranges",
                    targetId,
                    trigger,
                    archiveId,
                    files,
                    warnings,
                    runs,
                    successAt == null ? null : successAt.get(targetId));
        }
    }
}
