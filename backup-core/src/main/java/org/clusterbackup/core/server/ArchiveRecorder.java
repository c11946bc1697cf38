package org.clusterbackup.core.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.NewArchive;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.store.ArchiveStore;
import org.clusterbackup.core.store.TempArchive;

/**
 * Where one run's new archive goes: a temp file in the store, then, once it is whole and forced, into place
 * with its execution in one catalog transaction. It also gathers the lines that execution carries, stored or
 * failed: why the archive was sent in full although a delta was possible, and the agent's warnings.
 */
final class ArchiveRecorder {
    private static final System.Logger LOG = System.getLogger(BackupRunner.class.getName());

    private final Catalog catalog;
    private final ArchiveStore store;
    private final RunHooks hooks;
    private final Target target;
    private final long executionId;
    private final AgentLink link;
    /** Why this run's archive was sent in full although a delta was possible: one line each. */
    private final List<String> fallbacks = new ArrayList<>();

    private List<String> agentWarnings = List.of();

    ArchiveRecorder(
            Catalog catalog, ArchiveStore store, RunHooks hooks, Target target, long executionId, AgentLink link) {
        this.catalog = catalog;
        this.store = store;
        this.hooks = hooks;
        this.target = target;
        this.executionId = executionId;
        this.link = link;
    }

    /** Notes why the archive is sent in full: one line, kept in the execution's warnings. */
    void fallback(String reason) {
        fallbacks.add(reason);
    }

    /** The warnings the agent sent with the archive or delta. */
    void agentWarnings(List<String> warnings) {
        agentWarnings = warnings;
    }

    /** What the agent warned about so far, for a run that fails. */
    List<String> agentWarnings() {
        return agentWarnings;
    }

    /** A temp file (and its index beside it) for the run's archive. */
    TempArchive createTemp() throws RunFailure {
        try {
            return store.createTemp(target.id(), executionId);
        } catch (IOException e) {
            throw new RunFailure(
                    FailureKind.OTHER,
                    "cannot create a file in " + store.archivesDir() + ": " + StorageFault.describe(e),
                    e);
        }
    }

    /** Records a finished, forced archive and its index with the execution, in one transaction. */
    Execution store(TempArchive temp, NewArchive archive, String transfer) throws RunFailure {
        List<String> all = new ArrayList<>(fallbacks);
        all.addAll(agentWarnings);
        try {
            hooks.beforeRecord(target.id(), RunHooks.Record.FINISH);
            Execution done = catalog.finishStored(
                    executionId, archive, link.bytesRead(), all, transfer, (targetId, archiveId) -> {
                        String placed = store.place(temp, targetId, archiveId);
                        hooks.afterPlace(targetId, archiveId);
                        return placed;
                    });
            LOG.log(
                    Level.INFO,
                    "[target {0}] run {1} STORED archive {2} ({3}): {4} bytes, {5} files, {6} bytes "
                            + "on the wire, {7} warnings",
                    target.id(),
                    executionId,
                    done.archiveId(),
                    transfer,
                    archive.sizeBytes(),
                    archive.files(),
                    done.bytesReceived(),
                    all.size());
            return done;
        } catch (IOException e) {
            throw storeFailed(e);
        }
    }

    RunFailure storeFailed(IOException e) {
        return new RunFailure(
                FailureKind.OTHER,
                "cannot store the archive in " + store.archivesDir() + ": " + StorageFault.describe(e),
                e);
    }
}
