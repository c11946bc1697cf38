package org.clusterbackup.core.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import org.clusterbackup.core.catalog.ServerRecord;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.protocol.ExecutionInfo;

/**
 * What the control plane asks of the servers this one works with: which server runs which target, which
 * servers are alive, and how a run reaches the server that runs its target. A server alone on its catalog
 * ({@link SoloCluster}) is a cluster of one; servers sharing a PostgreSQL catalog ({@link SharedCluster})
 * decide it through their claims.
 */
interface Cluster extends AutoCloseable {
    /** The server running each target as of now, by target id; null for a target no server runs. */
    LongFunction<String> holders();

    /** The live servers, by name. */
    List<ServerRecord> servers();

    /**
     * Runs the target now on the server that runs it (or joins its run in progress there); completes with
     * the execution that run wrote. Failures complete it exceptionally: an {@link UnrecordedRunException}
     * when the run wrote no row, a {@link org.clusterbackup.core.model.RefusedException} with the reply's
     * code for anything else the caller must be told.
     */
    CompletableFuture<ExecutionInfo> run(Target target);

    /** Targets were just registered (or reactivated): the servers that will run them learn of them. */
    void registered(List<Target> targets);

    /** Stops what it runs in the background; runs in progress have ended or been left by then. */
    @Override
    default void close() {}
}
