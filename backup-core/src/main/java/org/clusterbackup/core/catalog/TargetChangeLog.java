package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The targets' change cursor: every change to what {@code list} shows of a target — its registration and
 * unregistration, a run of it starting or ending, a server taking it over — stamps its row's
 * {@code change_seq} with the next value of the one-row {@code target_changes} counter, inside the
 * transaction that makes the change. A reader that remembers the highest stamp it has seen asks only for
 * rows stamped later. Several rows may share a stamp (one statement stamping many), so pages go by
 * (stamp, id).
 */
final class TargetChangeLog {
    private TargetChangeLog() {}

    /** Stamps one target as changed; call it inside the transaction of the change. */
    static void touch(Connection db, long targetId) throws SQLException {
        // The counter first: on PostgreSQL its row lock is held to the commit, so commits come in stamp order.
        Rows.update(db, "UPDATE target_changes SET seq = seq + 1 WHERE id = 1");
        Rows.update(
                db,
                "UPDATE targets SET change_seq = (SELECT seq FROM target_changes WHERE id = 1) WHERE id = ?",
                targetId);
    }

    /** The newest stamp handed out (and committed, as the reader sees the catalog). */
    static long sequence(Connection db) throws SQLException {
        return Rows.first(db, "SELECT seq FROM target_changes WHERE id = 1", r -> r.getLong("seq"))
                .orElseThrow(() -> new CatalogException("the catalog has no target_changes row"));
    }

    /**
     * Targets, active or not, stamped after {@code after} and at most {@code upTo}, by (stamp, id), at most
     * {@code limit}.
     */
    static List<TargetChange> changed(Connection db, TargetChange.Key after, long upTo, int limit) throws SQLException {
        return Rows.all(
                db,
                "SELECT " + SqliteTargets.COLUMNS + ", change_seq FROM targets"
                        + " WHERE change_seq >= ? AND change_seq <= ? AND (change_seq > ? OR id > ?)"
                        + " ORDER BY change_seq, id LIMIT ?",
                r -> new TargetChange(SqliteTargets.target(r), r.getLong("change_seq")),
                after.sequence(),
                upTo,
                after.sequence(),
                after.id(),
                limit);
    }
}
