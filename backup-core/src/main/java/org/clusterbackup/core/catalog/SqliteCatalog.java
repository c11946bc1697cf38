package org.clusterbackup.core.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.model.TargetSelector;

/**
 * The catalog, one class per table behind it. Every method is one transaction; {@link #finishStored} and
 * {@link #inTransaction} span tables in one. The tables' SQL runs on SQLite (one file in WAL mode, the
 * default) and on a PostgreSQL database several servers share ({@link PostgresCatalogs}) alike.
 */
final class SqliteCatalog implements Catalog {
    private final Database database;
    private final Clock clock;
    private final SqliteTargets targets;
    private final SqliteExecutions executions;
    private final SqliteArchives archives;
    /** Checked first in every transaction that records a run's end; see {@link TargetClaims#fenceRunsOf}. */
    private volatile Fence fence = Fence.NONE;

    /** The check that this server may still record a run of a target. */
    @FunctionalInterface
    interface Fence {
        Fence NONE = (db, targetId) -> {};

        /** @throws CatalogException it may not */
        void check(java.sql.Connection db, long targetId) throws java.sql.SQLException;
    }

    SqliteCatalog(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.targets = new SqliteTargets(database, clock);
        this.executions = new SqliteExecutions(database, clock);
        this.archives = new SqliteArchives(database, clock);
    }

    void fence(Fence check) {
        this.fence = java.util.Objects.requireNonNull(check, "check");
    }

    static SqliteCatalog open(Path file, Clock clock) {
        return new SqliteCatalog(SqliteDatabase.open(file, "catalog " + file, Schema.MIGRATIONS, Schema.STEPS), clock);
    }

    @Override
    public int schemaVersion() {
        return database.schemaVersion();
    }

    @Override
    public Execution finishStored(
            long executionId,
            NewArchive archive,
            long bytesReceived,
            List<String> warnings,
            String transfer,
            ArchivePlacer placer)
            throws IOException {
        long now = clock.millis();
        return database.<Execution, IOException>write(db -> {
            long targetId = SqliteExecutions.targetOf(db, executionId);
            fence.check(db, targetId);
            long archiveId = SqliteArchives.insert(db, targetId, now, archive);
            SqliteArchives.placed(db, targetId, archiveId, placer.place(targetId, archiveId));
            SqliteExecutions.finish(
                    db,
                    executionId,
                    new SqliteExecutions.Finish(
                            now,
                            Outcome.STORED,
                            bytesReceived,
                            archiveId,
                            archive.files(),
                            null,
                            null,
                            warnings,
                            transfer));
            TargetChangeLog.touch(db, targetId);
            return SqliteExecutions.execution(db, executionId);
        });
    }

    @Override
    public <T, X extends Exception> T inTransaction(Transaction<T, X> work) throws X {
        return database.<T, X>write(db -> work.run(this));
    }

    @Override
    public Target register(String node, int port, String path, long everySeconds) {
        return targets.register(node, port, path, everySeconds);
    }

    @Override
    public Target unregister(TargetSelector selector) {
        return targets.unregister(selector);
    }

    @Override
    public Target resolve(TargetSelector selector) {
        return targets.resolve(selector);
    }

    @Override
    public Optional<Target> target(long id) {
        return targets.target(id);
    }

    @Override
    public List<Target> activeTargets() {
        return targets.activeTargets();
    }

    @Override
    public List<Target> activeTargets(long afterId, int limit) {
        return targets.activeTargets(afterId, limit);
    }

    @Override
    public List<Target> activeTargets(Collection<Long> ids) {
        return targets.activeTargets(ids);
    }

    @Override
    public Map<Long, RunSummary> runSummaries(List<Long> targetIds) {
        return executions.runSummaries(targetIds);
    }

    @Override
    public long targetChangeSequence() {
        return targets.targetChangeSequence();
    }

    @Override
    public List<TargetChange> changedTargets(TargetChange.Key after, long upTo, int limit) {
        return targets.changedTargets(after, upTo, limit);
    }

    @Override
    public BulkRegistration registerAll(List<NewTarget> batch) {
        return targets.registerAll(batch);
    }

    @Override
    public BulkUnregistration unregisterAll(List<TargetSelector> batch) {
        return targets.unregisterAll(batch);
    }

    @Override
    public List<Archive> archives(long targetId, Long beforeId, int limit) {
        return archives.archives(targetId, beforeId, limit);
    }

    @Override
    public Execution startExecution(Target target, RunTrigger trigger) {
        return database.write(db -> {
            Execution started = executions.startExecution(target, trigger);
            TargetChangeLog.touch(db, target.id());
            return started;
        });
    }

    @Override
    public Execution finishUnchanged(long executionId, Archive confirmed, long bytesReceived, List<String> warnings) {
        return database.write(db -> {
            long targetId = SqliteExecutions.targetOf(db, executionId);
            fence.check(db, targetId);
            Execution finished = executions.finishUnchanged(executionId, confirmed, bytesReceived, warnings);
            // Last in the transaction: on PostgreSQL the counter's row lock is held from here to the commit.
            TargetChangeLog.touch(db, targetId);
            return finished;
        });
    }

    @Override
    public Execution finishFailed(
            long executionId, String error, FailureKind failureKind, long bytesReceived, List<String> warnings) {
        return database.write(db -> {
            long targetId = SqliteExecutions.targetOf(db, executionId);
            fence.check(db, targetId);
            Execution finished = executions.finishFailed(executionId, error, failureKind, bytesReceived, warnings);
            TargetChangeLog.touch(db, targetId);
            return finished;
        });
    }

    @Override
    public int failInterruptedRuns(String reason) {
        return executions.failInterruptedRuns(reason);
    }

    @Override
    public List<Execution> executions(ExecutionQuery query) {
        return executions.executions(query);
    }

    @Override
    public Map<Long, Execution> lastExecutions() {
        return executions.lastExecutions();
    }

    @Override
    public Map<Long, Execution> lastExecutions(Collection<Long> targetIds) {
        return executions.lastExecutions(targetIds);
    }

    @Override
    public Map<Long, RunSummary> runSummaries() {
        return executions.runSummaries();
    }

    @Override
    public List<Archive> archives(long targetId) {
        return archives.archives(targetId);
    }

    @Override
    public Optional<Archive> archive(long id) {
        return archives.archive(id);
    }

    @Override
    public void markCorrupt(long archiveId, boolean corrupt) {
        archives.markCorrupt(archiveId, corrupt);
    }

    @Override
    public List<Archive> storedArchives() {
        return archives.storedArchives();
    }

    @Override
    public Optional<Archive> newestSoundArchive(long targetId) {
        return archives.newestSoundArchive(targetId);
    }

    @Override
    public List<Archive> pruneBeyond(long targetId, int keep) {
        return archives.pruneBeyond(targetId, keep);
    }

    @Override
    public void close() {
        database.close();
    }
}
