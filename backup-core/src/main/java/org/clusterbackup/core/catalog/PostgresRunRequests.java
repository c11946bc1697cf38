package org.clusterbackup.core.catalog;

import static org.clusterbackup.core.catalog.PostgresClaims.NOW;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Run requests in the {@code run_requests} table of a PostgreSQL catalog. Holders take them with
 * {@code FOR UPDATE SKIP LOCKED}, so a request is taken by one server; "worked" means taken by a server whose
 * claim on the target is still good, on the database's clock as every lease.
 */
final class PostgresRunRequests implements RunRequests {
    /** Answers nobody read (their asker died) go after a day; so do requests nobody could ever take. */
    private static final long FORGOTTEN_AFTER_MS = 24L * 3600 * 1000;

    private static final String WORKED = "EXISTS (SELECT 1 FROM claims c WHERE c.target_id = r.target_id"
            + " AND c.server = r.taken_by AND c.lease_until > " + NOW + ")";

    private final Database database;

    PostgresRunRequests(Database database) {
        this.database = database;
    }

    @Override
    public long submit(long targetId, String asker) {
        return database.write(db -> Rows.first(
                        db,
                        "INSERT INTO run_requests (target_id, asked_by, asked_at) VALUES" + " (?, ?, " + NOW
                                + ") RETURNING id",
                        r -> r.getLong("id"),
                        targetId,
                        asker)
                .orElseThrow());
    }

    @Override
    public List<Taken> take(String server, String taker, LongPredicate canRun) {
        return database.write(db -> {
            Rows.update(db, "DELETE FROM run_requests WHERE asked_at < " + NOW + " - ?", FORGOTTEN_AFTER_MS);
            List<Taken> open = Rows.all(
                    db,
                    "SELECT r.id AS id, r.target_id AS target_id FROM run_requests r"
                            + " JOIN claims c ON c.target_id = r.target_id WHERE c.server = ? AND c.lease_until > "
                            + NOW
                            + " AND r.answered_at IS NULL AND (r.taken_as IS NULL OR r.taken_as <> ?) ORDER BY r.id"
                            + " FOR UPDATE OF r SKIP LOCKED",
                    r -> new Taken(r.getLong("id"), r.getLong("target_id")),
                    server,
                    taker);
            List<Taken> taken = new ArrayList<>();
            for (Taken t : open) {
                if (canRun.test(t.targetId())) {
                    Rows.update(
                            db,
                            "UPDATE run_requests SET taken_by = ?, taken_as = ? WHERE id = ?",
                            server,
                            taker,
                            t.id());
                    taken.add(t);
                }
            }
            return taken;
        });
    }

    @Override
    public void putBack(long id, String taker) {
        database.write(db -> Rows.update(
                db,
                "UPDATE run_requests SET taken_by = NULL, taken_as = NULL"
                        + " WHERE id = ? AND taken_as = ? AND answered_at IS NULL",
                id,
                taker));
    }

    @Override
    public void answer(long id, String taker, Long executionId, String error) {
        database.write(db -> Rows.update(
                db,
                "UPDATE run_requests SET answered_at = " + NOW + ", execution_id = ?,"
                        + " error = ? WHERE id = ? AND taken_as = ? AND answered_at IS NULL",
                executionId,
                error,
                id,
                taker));
    }

    @Override
    public List<State> states(String asker) {
        return database.read(db -> Rows.all(
                db,
                "SELECT r.id AS id, r.target_id AS target_id,"
                        + " r.answered_at IS NOT NULL AS answered, " + WORKED
                        + " AS worked, r.execution_id AS execution_id,"
                        + " r.error AS error FROM run_requests r WHERE r.asked_by = ? ORDER BY r.id",
                r -> new State(
                        r.getLong("id"),
                        r.getLong("target_id"),
                        r.bool("answered"),
                        r.bool("worked"),
                        r.longOrNull("execution_id"),
                        r.text("error")),
                asker));
    }

    @Override
    public boolean withdraw(long id) {
        return database.write(db -> Rows.update(
                        db,
                        "DELETE FROM run_requests r WHERE r.id = ?" + " AND r.answered_at IS NULL AND NOT " + WORKED,
                        id))
                == 1;
    }

    @Override
    public void forget(long id) {
        database.write(db -> Rows.update(db, "DELETE FROM run_requests WHERE id = ?", id));
    }
}
