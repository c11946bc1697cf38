package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.Frequency;
import org.clusterbackup.core.model.RefusedException;
import org.clusterbackup.core.model.TargetSelector;

/** The {@code targets} table. */
final class SqliteTargets implements TargetRegistry {
    static final String COLUMNS = "id, node, port, path, every_seconds, registered_at, active";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM targets";

    private final Database database;
    private final Clock clock;

    SqliteTargets(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Target register(String node, int port, String path, long everySeconds) {
        long now = clock.millis();
        return database.write(db -> {
            Optional<Target> existing = find(db, node, path, port);
            if (existing.isPresent()) {
                Target t = existing.get();
                if (t.active()) {
                    throw new RefusedException(
                            ErrorCode.DUPLICATE,
                            "target " + t.label()
                                    + " is already registered (id " + t.id() + ", every "
                                    + Frequency.format(t.everySeconds())
                                    + "); unregister it first to change its frequency");
                }
                return reactivate(db, t, everySeconds, now);
            }
            return insert(db, new NewTarget(node, port, path, everySeconds), now);
        });
    }

    @Override
    public Target unregister(TargetSelector selector) {
        return database.write(db -> {
            Target t = resolve(db, selector);
            if (!t.active()) {
                throw new RefusedException(
                        ErrorCode.NOT_FOUND, "target " + t.label() + " (id " + t.id() + ") is not registered");
            }
            Rows.update(db, "UPDATE targets SET active = 0 WHERE id = ?", t.id());
            TargetChangeLog.touch(db, t.id());
            return deactivated(t);
        });
    }

    @Override
    public Target resolve(TargetSelector selector) {
        return database.read(db -> resolve(db, selector));
    }

    @Override
    public Optional<Target> target(long id) {
        return database.read(db -> Rows.first(db, SELECT + " WHERE id = ?", SqliteTargets::target, id));
    }

    @Override
    public List<Target> activeTargets() {
        return database.read(db -> Rows.all(db, SELECT + " WHERE active = 1 ORDER BY id", SqliteTargets::target));
    }

    @Override
    public List<Target> activeTargets(long afterId, int limit) {
        return database.read(db -> Rows.all(
                db,
                SELECT + " WHERE active = 1 AND id > ? ORDER BY id LIMIT ?",
                SqliteTargets::target,
                afterId,
                limit));
    }

    @Override
    public List<Target> activeTargets(Collection<Long> ids) {
        return database.read(db -> {
            List<Target> out = new ArrayList<>();
            for (List<Long> chunk : IdLists.chunks(ids)) {
                out.addAll(Rows.all(
                        db,
                        SELECT + " WHERE active = 1 AND id IN " + IdLists.in(chunk.size()) + " ORDER BY id",
                        SqliteTargets::target,
                        chunk.toArray()));
            }
            return out;
        });
    }

    @Override
    public long targetChangeSequence() {
        return database.read(TargetChangeLog::sequence);
    }

    @Override
    public List<TargetChange> changedTargets(TargetChange.Key after, long upTo, int limit) {
        return database.read(db -> TargetChangeLog.changed(db, after, upTo, limit));
    }

    @Override
    public BulkRegistration registerAll(List<NewTarget> batch) {
        long now = clock.millis();
        return database.write(db -> {
            List<Target> registered = new ArrayList<>();
            List<Target> reactivated = new ArrayList<>();
            int unchanged = 0;
            for (NewTarget n : batch) {
                Optional<Target> existing = find(db, n.node(), n.path(), n.port());
                if (existing.isEmpty()) {
                    registered.add(insert(db, n, now));
                } else if (!existing.get().active()) {
                    reactivated.add(reactivate(db, existing.get(), n.everySeconds(), now));
                } else if (existing.get().everySeconds() == n.everySeconds()) {
                    unchanged++;
                } else {
                    Target t = existing.get();
                    throw new RefusedException(
                            ErrorCode.DUPLICATE,
                            "target " + t.label() + " is already registered"
                                    + " every " + Frequency.format(t.everySeconds()) + ", not every "
                                    + Frequency.format(n.everySeconds())
                                    + "; unregister it first to change its frequency");
                }
            }
            return new BulkRegistration(registered, reactivated, unchanged);
        });
    }

    @Override
    public BulkUnregistration unregisterAll(List<TargetSelector> batch) {
        return database.write(db -> {
            List<Target> unregistered = new ArrayList<>();
            int notFound = 0;
            for (TargetSelector s : batch) {
                Optional<Target> t = find(db, s.node(), s.path(), java.util.Objects.requireNonNull(s.port(), "port"))
                        .filter(Target::active);
                if (t.isEmpty()) {
                    notFound++;
                } else {
                    Rows.update(
                            db,
                            "UPDATE targets SET active = 0 WHERE id = ?",
                            t.get().id());
                    TargetChangeLog.touch(db, t.get().id());
                    unregistered.add(deactivated(t.get()));
                }
            }
            return new BulkUnregistration(unregistered, notFound);
        });
    }

    private static Target reactivate(Connection db, Target t, long everySeconds, long now) throws SQLException {
        Rows.update(
                db,
                "UPDATE targets SET active = 1, every_seconds = ?, registered_at = ? WHERE id = ?",
                everySeconds,
                now,
                t.id());
        TargetChangeLog.touch(db, t.id());
        return new Target(t.id(), t.node(), t.port(), t.path(), everySeconds, Instant.ofEpochMilli(now), true);
    }

    private static Target insert(Connection db, NewTarget n, long now) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO targets (node, port, path, every_seconds,"
                        + " registered_at, active) VALUES (?, ?, ?, ?, ?, 1)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, n.node());
            ps.setInt(2, n.port());
            ps.setString(3, n.path());
            ps.setLong(4, n.everySeconds());
            ps.setLong(5, now);
            long id = Rows.insert(ps);
            TargetChangeLog.touch(db, id);
            return new Target(id, n.node(), n.port(), n.path(), n.everySeconds(), Instant.ofEpochMilli(now), true);
        }
    }

    private static Target deactivated(Target t) {
        return new Target(t.id(), t.node(), t.port(), t.path(), t.everySeconds(), t.registeredAt(), false);
    }

    private static Target resolve(Connection db, TargetSelector selector) throws SQLException {
        if (selector.port() != null) {
            return find(db, selector.node(), selector.path(), selector.port())
                    .orElseThrow(() -> new RefusedException(
                            ErrorCode.NOT_FOUND,
                            "no target " + selector.node() + ":" + selector.port() + " " + selector.path()));
        }
        List<Target> matches = Rows.all(
                db,
                SELECT + " WHERE node = ? AND path = ? ORDER BY port",
                SqliteTargets::target,
                selector.node(),
                selector.path());
        if (matches.isEmpty()) {
            throw new RefusedException(
                    ErrorCode.NOT_FOUND, "no target with node " + selector.node() + " and path " + selector.path());
        }
        if (matches.size() > 1) {
            throw new RefusedException(
                    ErrorCode.AMBIGUOUS,
                    "several targets have node " + selector.node()
                            + " and path " + selector.path() + " (ports "
                            + matches.stream()
                                    .map(t -> String.valueOf(t.port()))
                                    .collect(Collectors.joining(", "))
                            + "): choose one with --port");
        }
        return matches.get(0);
    }

    private static Optional<Target> find(Connection db, String node, String path, int port) throws SQLException {
        return Rows.first(
                db, SELECT + " WHERE node = ? AND path = ? AND port = ?", SqliteTargets::target, node, path, port);
    }

    static Target target(Rows.Row r) throws SQLException {
        return new Target(
                r.getLong("id"),
                r.text("node"),
                r.getInt("port"),
                r.text("path"),
                r.getLong("every_seconds"),
                r.time("registered_at"),
                r.flag("active"));
    }
}
