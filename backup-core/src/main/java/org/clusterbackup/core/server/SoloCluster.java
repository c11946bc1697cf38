package org.clusterbackup.core.server;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.ServerRecord;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.schedule.BackupScheduler;

/**
 * A server alone on its own (SQLite) catalog: it runs every active target, so it is the holder of each and
 * the one live server. Its name is its {@code --name}, or the listener's HOST:PORT, known once bound.
 */
final class SoloCluster implements Cluster {
    private final Catalog catalog;
    private final BackupScheduler scheduler;
    private final ScheduledRuns runs;
    private final Clock clock;
    private volatile String name;
    private volatile String address;

    SoloCluster(Catalog catalog, BackupScheduler scheduler, ScheduledRuns runs, Clock clock) {
        this.catalog = catalog;
        this.scheduler = scheduler;
        this.runs = runs;
        this.clock = clock;
    }

    /** Once the listener is bound, before the first connection is served. */
    void named(String serverName, String serverAddress) {
        this.name = serverName;
        this.address = serverAddress;
    }

    @Override
    public LongFunction<String> holders() {
        String self = name;
        return id -> self;
    }

    /** Itself; it beats as long as it answers, so its heartbeat is the time of the answer. */
    @Override
    public List<ServerRecord> servers() {
        return List.of(new ServerRecord(name, address, catalog.activeTargets().size(), clock.instant()));
    }

    @Override
    public CompletableFuture<ExecutionInfo> run(Target target) {
        return runs.runNow(scheduler, target);
    }

    @Override
    public void registered(List<Target> targets) {
        targets.forEach(t -> scheduler.add(ScheduledRuns.scheduled(t)));
    }
}
