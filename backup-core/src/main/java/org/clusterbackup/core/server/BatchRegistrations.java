package org.clusterbackup.core.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import org.clusterbackup.core.catalog.BulkRegistration;
import org.clusterbackup.core.catalog.BulkUnregistration;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.NewTarget;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.model.Frequency;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.TargetPath;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.protocol.RegisterBatchReply;
import org.clusterbackup.core.protocol.RegisterBatchRequest;
import org.clusterbackup.core.protocol.TargetLine;
import org.clusterbackup.core.protocol.UnregisterBatchReply;
import org.clusterbackup.core.protocol.UnregisterBatchRequest;
import org.clusterbackup.core.schedule.BackupScheduler;

/**
 * Bulk registration: a batch of targets registered or unregistered in one catalog transaction, then handed
 * to the schedule. Every target is validated before anything is written; a batch larger than
 * {@link RegisterBatchRequest#MAX_TARGETS} is refused whole, so one request cannot hold the catalog's
 * writer for long or fill the server's memory.
 */
final class BatchRegistrations {
    private static final System.Logger LOG = System.getLogger(BatchRegistrations.class.getName());

    private final Connection connection;
    private final Catalog catalog;
    private final BackupScheduler scheduler;
    /** Which server runs which target: it learns of the new ones. */
    private final Cluster cluster;

    BatchRegistrations(Connection connection, Catalog catalog, BackupScheduler scheduler, Cluster cluster) {
        this.connection = connection;
        this.catalog = catalog;
        this.scheduler = scheduler;
        this.cluster = cluster;
    }

    void register(RegisterBatchRequest r) throws IOException {
        List<NewTarget> batch = new ArrayList<>();
        for (int i = 0; i < checkSize(r.targets()).size(); i++) {
            TargetLine t = r.targets().get(i);
            int index = i;
            batch.add(within(index, () -> {
                if (t.everySeconds() == null) {
                    throw new InvalidInputException("no frequency given");
                }
                return new NewTarget(
                        NodeAddress.normalize(t.node()),
                        NodeAddress.checkPort(t.port()),
                        TargetPath.normalize(t.path()),
                        Frequency.checkSeconds(t.everySeconds()));
            }));
        }
        BulkRegistration done = catalog.registerAll(batch);
        List<Target> added = new ArrayList<>(done.registered());
        added.addAll(done.reactivated());
        cluster.registered(added);
        LOG.log(
                Level.INFO,
                "registered a batch of {0}: {1} new, {2} reactivated, {3} unchanged",
                batch.size(),
                done.registered().size(),
                done.reactivated().size(),
                done.unchanged());
        connection.send(new RegisterBatchReply(
                done.registered().size(), done.reactivated().size(), done.unchanged()));
    }

    void unregister(UnregisterBatchRequest u) throws IOException {
        List<TargetSelector> batch = new ArrayList<>();
        for (int i = 0; i < checkSize(u.targets()).size(); i++) {
            TargetLine t = u.targets().get(i);
            batch.add(within(
                    i,
                    () -> new TargetSelector(
                            NodeAddress.normalize(t.node()),
                            TargetPath.normalize(t.path()),
                            NodeAddress.checkPort(t.port()))));
        }
        BulkUnregistration done = catalog.unregisterAll(batch);
        // As for one target: pending work is cancelled, a run in progress finishes and is logged.
        done.unregistered().forEach(t -> scheduler.remove(t.id()));
        LOG.log(
                Level.INFO,
                "unregistered a batch of {0}: {1} unregistered, {2} not found",
                batch.size(),
                done.unregistered().size(),
                done.notFound());
        connection.send(new UnregisterBatchReply(done.unregistered().size(), done.notFound()));
    }

    private static List<TargetLine> checkSize(List<TargetLine> targets) {
        if (targets.size() > RegisterBatchRequest.MAX_TARGETS) {
            throw new InvalidInputException("a batch of " + targets.size() + " targets is more than the "
                    + RegisterBatchRequest.MAX_TARGETS + " one request may carry: send it in smaller batches");
        }
        return targets;
    }

    /** Validates one target of the batch; its error names its place, so the sender can find it. */
    private static <T> T within(int index, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (InvalidInputException e) {
            throw new InvalidInputException("target " + (index + 1) + " of the batch: " + e.getMessage());
        }
    }
}
