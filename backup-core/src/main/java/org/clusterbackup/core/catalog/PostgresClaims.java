package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Claims in the {@code servers} and {@code claims} tables of a PostgreSQL catalog.
 *
 * <p>Free targets are taken with {@code SELECT … FOR UPDATE SKIP LOCKED} on their {@code targets} rows, so
 * servers claiming at the same moment take disjoint sets instead of waiting for each other; the insert of
 * a claim takes over an existing row only while its lease is over ({@code ON CONFLICT … WHERE}), so a holder
 * that renewed in between keeps it. Every change of hands raises the claim's {@code fence}.
 */
final class PostgresClaims implements TargetClaims {
    /** The database's clock in epoch milliseconds: one clock for every server's leases. */
    static final String NOW = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

    static final String TAKEN_OVER = "interrupted: its server stopped renewing its claim (stopped, killed or cut off"
            + " from the catalog), and another server took the target over";

    private final Database database;
    private final SqliteCatalog catalog;
    private final RunRequests runRequests;

    PostgresClaims(Database database, SqliteCatalog catalog) {
        this.database = database;
        this.catalog = catalog;
        this.runRequests = new PostgresRunRequests(database);
    }

    @Override
    public RunRequests runRequests() {
        return runRequests;
    }

    @Override
    public void fenceRunsOf(String server) {
        catalog.fence((db, targetId) -> requireHeld(db, targetId, server));
    }

    @Override
    public int failInterruptedRunsOf(String server, String reason) {
        return database.write(db -> Rows.update(
                db,
                "UPDATE executions SET outcome = 'FAILED', finished_at = " + NOW
                        + ", error = ?, failure_kind = 'OTHER' WHERE outcome = 'RUNNING'"
                        + " AND target_id IN (SELECT target_id FROM claims WHERE server = ?)",
                reason,
                server));
    }

    @Override
    public Set<Long> renew(String server, String address, Duration lease) {
        long ms = lease.toMillis();
        return database.write(db -> {
            beat(db, server, address, ms);
            Rows.update(
                    db,
                    "DELETE FROM claims WHERE server = ? AND target_id IN (SELECT id FROM targets WHERE active = 0)",
                    server);
            Rows.update(db, "UPDATE claims SET lease_until = " + NOW + " + ? WHERE server = ?", ms, server);
            long wanted = share(db) - count(db, "SELECT count(*) AS n FROM claims WHERE server = ?", server);
            if (wanted > 0) {
                List<Long> free = Rows.all(
                        db,
                        "SELECT t.id AS id FROM targets t LEFT JOIN claims c ON c.target_id = t.id"
                                + " WHERE t.active = 1 AND (c.target_id IS NULL OR c.lease_until < " + NOW + ")"
                                + " ORDER BY t.id LIMIT ? FOR UPDATE OF t SKIP LOCKED",
                        r -> r.getLong("id"),
                        wanted);
                for (long id : free) {
                    if (Rows.update(
                                    db,
                                    "INSERT INTO claims (target_id, server, lease_until, fence) VALUES (?, ?, " + NOW
                                            + " + ?, 1) ON CONFLICT (target_id) DO UPDATE SET server = excluded.server,"
                                            + " lease_until = excluded.lease_until, fence = claims.fence + 1"
                                            + " WHERE claims.lease_until < " + NOW,
                                    id,
                                    server,
                                    ms)
                            == 1) {
                        // A run left RUNNING is one its former holder can no longer record (the fence stops it):
                        // close it, as start-up closes a crashed server's runs.
                        Rows.update(
                                db,
                                "UPDATE executions SET outcome = 'FAILED', finished_at = " + NOW + ", error = ?,"
                                        + " failure_kind = 'OTHER' WHERE target_id = ? AND outcome = 'RUNNING'",
                                TAKEN_OVER,
                                id);
                        // Its holder changed (and maybe its last run): news for a change cursor's readers.
                        TargetChangeLog.touch(db, id);
                    }
                }
            }
            return new LinkedHashSet<>(Rows.all(
                    db,
                    "SELECT target_id FROM claims WHERE server = ? ORDER BY target_id",
                    r -> r.getLong("target_id"),
                    server));
        });
    }

    @Override
    public void heartbeat(String server, String address, Duration lease) {
        database.write(db -> {
            beat(db, server, address, lease.toMillis());
            return null;
        });
    }

    @Override
    public void release(String server) {
        database.write(db -> {
            Rows.update(db, "DELETE FROM claims WHERE server = ?", server);
            return Rows.update(db, "DELETE FROM servers WHERE name = ?", server);
        });
    }

    @Override
    public Set<Long> release(String server, Collection<Long> targetIds) {
        return database.write(db -> {
            Set<Long> released = new LinkedHashSet<>();
            for (List<Long> chunk : IdLists.chunks(targetIds)) {
                released.addAll(Rows.all(
                        db,
                        "DELETE FROM claims WHERE server = ? AND target_id IN " + IdLists.in(chunk.size())
                                + " RETURNING target_id",
                        r -> r.getLong("target_id"),
                        params(server, chunk)));
            }
            return released;
        });
    }

    @Override
    public long share() {
        return database.read(PostgresClaims::share);
    }

    @Override
    public List<ServerRecord> liveServers() {
        return database.read(db -> Rows.all(
                db,
                "SELECT s.name AS name, s.address AS address,"
                        + " s.heartbeat_at AS heartbeat_at, (SELECT count(*) FROM claims c WHERE c.server = s.name"
                        + " AND c.lease_until > " + NOW + ") AS targets FROM servers s WHERE s.lease_until > " + NOW
                        + " ORDER BY s.name",
                r -> new ServerRecord(r.text("name"), r.text("address"), r.getInt("targets"), r.time("heartbeat_at"))));
    }

    @Override
    public Map<Long, String> holders() {
        return database.read(db -> {
            Map<Long, String> out = new TreeMap<>();
            for (Map.Entry<Long, String> e : Rows.all(
                    db,
                    "SELECT target_id, server FROM claims WHERE lease_until > " + NOW,
                    r -> Map.entry(r.getLong("target_id"), r.text("server")))) {
                out.put(e.getKey(), e.getValue());
            }
            return out;
        });
    }

    /**
     * The fencing check, inside the transaction that records a run: the row stays locked until it commits,
     * so the claim cannot change hands between this check and the commit.
     *
     * @throws CatalogException {@code server} does not hold the target, or its lease is over
     */
    static void requireHeld(Connection db, long targetId, String server) throws SQLException {
        if (Rows.first(
                        db,
                        "SELECT 1 AS held FROM claims WHERE target_id = ? AND server = ? AND lease_until > " + NOW
                                + " FOR UPDATE",
                        r -> r.getInt("held"),
                        targetId,
                        server)
                .isEmpty()) {
            throw new CatalogException("server " + server + " no longer holds target " + targetId
                    + " (its lease ran out, or another server took it over): the run is not recorded");
        }
    }

    private static void beat(Connection db, String server, String address, long leaseMillis) throws SQLException {
        Rows.update(
                db,
                "INSERT INTO servers (name, address, heartbeat_at, lease_until) VALUES (?, ?, " + NOW + ", "
                        + NOW + " + ?) ON CONFLICT (name) DO UPDATE SET address = excluded.address,"
                        + " heartbeat_at = excluded.heartbeat_at, lease_until = excluded.lease_until",
                server,
                address,
                leaseMillis);
    }

    /** This server's fair share: the active targets over the live servers, rounded up. */
    private static long share(Connection db) throws SQLException {
        long live = count(db, "SELECT count(*) AS n FROM servers WHERE lease_until > " + NOW);
        long active = count(db, "SELECT count(*) AS n FROM targets WHERE active = 1");
        return live == 0 ? active : (active + live - 1) / live;
    }

    private static Object[] params(String server, List<Long> ids) {
        Object[] out = new Object[ids.size() + 1];
        out[0] = server;
        for (int i = 0; i < ids.size(); i++) {
            out[i + 1] = ids.get(i);
        }
        return out;
    }

    private static long count(Connection db, String sql, Object... params) throws SQLException {
        return Rows.first(db, sql, r -> r.getLong("n"), params).orElse(0L);
    }
}
