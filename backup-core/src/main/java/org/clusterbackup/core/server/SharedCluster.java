package org.clusterbackup.core.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import org.clusterbackup.core.catalog.ServerRecord;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.catalog.TargetClaims;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.schedule.BackupScheduler;

/** Servers sharing a PostgreSQL catalog: the claims say which server runs which target. */
final class SharedCluster implements Cluster {
    private final TargetClaims claims;
    private final ClaimKeeper keeper;
    private final BackupScheduler scheduler;
    private final ScheduledRuns runs;
    private final RemoteRuns remote;

    SharedCluster(
            TargetClaims claims, ClaimKeeper keeper, BackupScheduler scheduler, ScheduledRuns runs, RemoteRuns remote) {
        this.claims = claims;
        this.keeper = keeper;
        this.scheduler = scheduler;
        this.runs = runs;
        this.remote = remote;
    }

    /** Once the server has joined under its name: it answers and asks for runs from now on. */
    void start(String name) {
        remote.start(name);
    }

    @Override
    public LongFunction<String> holders() {
        Map<Long, String> now = claims.holders();
        return now::get;
    }

    @Override
    public List<ServerRecord> servers() {
        return claims.liveServers();
    }

    @Override
    public CompletableFuture<ExecutionInfo> run(Target target) {
        // A target another server holds runs there (or on whoever holds it next): asked through the catalog.
        return keeper.holds(target.id()) ? runs.runNow(scheduler, target) : remote.submit(target);
    }

    @Override
    public void registered(List<Target> targets) {
        if (!targets.isEmpty()) {
            keeper.soon(); // one claim round: a server of the cluster claims them, maybe this one
        }
    }

    @Override
    public void close() {
        remote.close();
    }
}
