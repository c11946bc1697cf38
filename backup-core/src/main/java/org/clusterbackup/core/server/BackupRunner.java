package org.clusterbackup.core.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.clusterbackup.core.catalog.Archive;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.CatalogException;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.index.IndexFile;
import org.clusterbackup.core.index.UnusableIndexException;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.BlocksBegin;
import org.clusterbackup.core.protocol.DeltaBegin;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.Unchanged;
import org.clusterbackup.core.server.api.ServerSettings;
import org.clusterbackup.core.store.ArchiveStore;
import org.clusterbackup.core.store.SharedSweep;

/**
 * One backup run, start to end, on the calling thread: log it as RUNNING, ask the agent, and either confirm
 * the current archive (UNCHANGED) or stream the new one to a temp file, verify it, and record it with its
 * execution in one transaction (STORED); then apply retention. Every failure ends the execution as FAILED
 * with one line and a {@link FailureKind}; no failure leaves a file or an archive row behind.
 */
public final class BackupRunner {
    private static final System.Logger LOG = System.getLogger(BackupRunner.class.getName());

    private final Catalog catalog;
    private final ArchiveStore store;
    private final ServerSettings settings;
    private final RunHooks hooks;
    private final Clock clock;

    private final AgentPool agents;

    BackupRunner(
            Catalog catalog,
            ArchiveStore store,
            ServerSettings settings,
            RunHooks hooks,
            AgentPool agents,
            Clock clock) {
        this.agents = agents;
        this.catalog = catalog;
        this.store = store;
        this.settings = settings;
        this.hooks = hooks;
        this.clock = clock;
    }

    /**
     * Runs a backup of the target and returns its finished execution.
     *
     * @param trigger why it runs, for the log
     */
    public Execution run(Target target, RunTrigger trigger) {
        Execution started = start(target, trigger);
        Attempt attempt = new Attempt(target, started.id());
        Execution done;
        try {
            done = attempt.perform();
        } catch (RunFailure f) {
            done = fail(target, started.id(), f.kind(), f.getMessage(), attempt.bytesReceived(), attempt.warnings());
        } catch (CatalogException e) {
            done = fail(
                    target,
                    started.id(),
                    FailureKind.OTHER,
                    "cannot record the run in the catalog: " + StorageFault.describe(e),
                    attempt.bytesReceived(),
                    attempt.warnings());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "[target " + target.id() + "] run " + started.id() + " failed unexpectedly", e);
            done = fail(
                    target,
                    started.id(),
                    FailureKind.OTHER,
                    "internal error: " + e.getMessage(),
                    attempt.bytesReceived(),
                    attempt.warnings());
        }
        if (done.outcome() == Outcome.STORED) {
            applyRetention(target, done.archiveId());
        }
        return done;
    }

    /**
     * Logs the run as RUNNING. Outside the run's try on purpose: without a row there is nothing to finish,
     * so the caller gets an {@link UnrecordedRunException}, never another run's row.
     */
    private Execution start(Target target, RunTrigger trigger) {
        try {
            hooks.beforeRecord(target.id(), RunHooks.Record.START);
            Execution started = catalog.startExecution(target, trigger);
            LOG.log(
                    Level.INFO,
                    "[target {0}] run {1} started ({2}): {3}",
                    target.id(),
                    started.id(),
                    trigger.name().toLowerCase(java.util.Locale.ROOT),
                    target.label());
            return started;
        } catch (CatalogException e) {
            String message = "the run of " + target.label() + " could not start: cannot log it in the catalog: "
                    + StorageFault.describe(e);
            LOG.log(Level.ERROR, "[target {0}] {1}", target.id(), message);
            throw new UnrecordedRunException(message, e);
        }
    }

    private Execution fail(
            Target target, long executionId, FailureKind kind, String error, long bytes, List<String> warnings) {
        LOG.log(Level.WARNING, "[target {0}] run {1} FAILED ({2}): {3}", target.id(), executionId, kind, error);
        try {
            hooks.beforeRecord(target.id(), RunHooks.Record.FAIL);
            return catalog.finishFailed(executionId, error, kind, bytes, warnings);
        } catch (CatalogException e) {
            // The row stays RUNNING until the next start marks it interrupted; the waiting client hears why.
            String message = "the run of " + target.label() + " failed (" + error + ") and the failure could not be"
                    + " logged: " + StorageFault.describe(e);
            LOG.log(Level.ERROR, "[target {0}] run {1}: {2}", target.id(), executionId, message);
            throw new UnrecordedRunException(message, e);
        }
    }

    private void applyRetention(Target target, long storedArchiveId) {
        List<Archive> pruned = catalog.pruneBeyond(target.id(), settings.keep());
        for (Archive a : pruned) {
            store.delete(a.fileName());
            LOG.log(
                    Level.INFO,
                    "[target {0}] pruned archive {1} (keeping the newest {2})",
                    target.id(),
                    a.id(),
                    settings.keep());
        }
        if (store.shared().isPresent()) {
            sweepHeld(target, storedArchiveId, store.shared().get());
        }
    }

    /**
     * On a shared data dir the holder of a target, having just recorded a run under its claim, is the one
     * server that may judge the target's directory up to the archive it stored: no other can still commit
     * one there with a smaller id.
     */
    private void sweepHeld(Target target, long storedArchiveId, SharedSweep sweep) {
        try {
            List<Archive> kept = catalog.archives(target.id()).stream()
                    .filter(Archive::stored)
                    .toList();
            sweep.target(target.id(), ArchiveStore.keptFiles(kept), storedArchiveId);
        } catch (IOException | CatalogException e) {
            LOG.log(
                    Level.WARNING,
                    "[target {0}] cannot sweep its directory: {1} (its next run will retry)",
                    target.id(),
                    e.getMessage());
        }
    }

    /** The state of one run in progress. */
    private final class Attempt {
        private final Target target;
        private final long executionId;
        private final AgentLink link;
        private final ArchiveRecorder recorder;

        Attempt(Target target, long executionId) {
            this.target = target;
            this.executionId = executionId;
            String agent = AgentDialer.label(target.node(), target.port());
            this.link = new AgentLink(agent, new RunWatch(settings.runLimits(), clock, agent));
            this.recorder = new ArchiveRecorder(catalog, store, hooks, target, executionId, link);
        }

        long bytesReceived() {
            return link.bytesRead();
        }

        List<String> warnings() {
            return recorder.agentWarnings();
        }

        Execution perform() throws RunFailure {
            Optional<Archive> base = catalog.newestSoundArchive(target.id());
            if (base.isEmpty()) {
                noteCorruptNewest();
            }
            try (link;
                    IndexFile baseIndex = base.map(this::deltaBase).orElse(null)) {
                link.open(agents, target.node(), target.port());
                try {
                    Message first = link.request(new BackupRequest(
                            target.path(),
                            base.map(Archive::digest).orElse(null),
                            settings.compressionLevel(),
                            baseIndex != null,
                            baseIndex != null));
                    if (first instanceof Unchanged u) {
                        return unchanged(u, base);
                    }
                    if ((first instanceof DeltaBegin || first instanceof BlocksBegin) && baseIndex != null) {
                        Execution done = new DeltaReception(link, recorder, store, settings, hooks, target, executionId)
                                .receive(first, base.get(), baseIndex);
                        if (done != null) {
                            link.finished();
                            return done;
                        }
                        // The full archive, asked on the connection that carried the delta: the agent
                        // may have closed it while the delta was applied (requestAgain retries then).
                        first = link.requestAgain(new BackupRequest(target.path(), null, settings.compressionLevel()));
                    } else if (baseIndex != null && first instanceof ArchiveBegin) {
                        recorder.fallback("sent in full: the agent holds no manifest of archive "
                                + base.get().id() + ", or found nearly all of the tree new since it");
                    }
                    if (first instanceof ArchiveBegin) {
                        Execution done = new ArchiveReception(link, recorder, store, hooks, target).receive();
                        link.finished(); // ArchiveEnd received, the archive checked and recorded
                        return done;
                    }
                    throw link.unexpected(first, "Unchanged, ArchiveBegin or DeltaBegin");
                } catch (RunFailure f) {
                    throw f;
                } catch (IOException e) {
                    throw link.broken(e);
                }
            }
        }

        /** Without a sound base, a newest kept archive marked corrupt is why the run is sent in full. */
        private void noteCorruptNewest() {
            catalog.archives(target.id()).stream()
                    .filter(Archive::stored)
                    .findFirst()
                    .filter(Archive::corrupt)
                    .ifPresent(a -> recorder.fallback("sent in full: archive " + a.id() + " is marked corrupt"));
        }

        /** The base's index, opened, if a delta can be applied to it; else null, and the reason noted. */
        private IndexFile deltaBase(Archive base) {
            if (!java.nio.file.Files.isReadable(store.resolve(base.fileName()))) {
                recorder.fallback("sent in full: archive " + base.id() + " is missing its file "
                        + store.resolve(base.fileName()));
                return null;
            }
            if (!base.indexed()) {
                recorder.fallback("sent in full: archive " + base.id() + " has no index");
                return null;
            }
            try {
                return store.indexes().open(store.resolve(base.indexFileName()), base.indexSha256());
            } catch (UnusableIndexException e) {
                recorder.fallback("sent in full: archive " + base.id() + " cannot be a base: " + e.getMessage());
                return null;
            }
        }

        private Execution unchanged(Unchanged u, Optional<Archive> base) throws RunFailure {
            if (base.isEmpty() || !base.get().digest().equals(u.digest())) {
                throw new RunFailure(
                        FailureKind.OTHER,
                        link.agent() + " answered Unchanged for digest " + u.digest()
                                + ", which is not the digest of the current archive");
            }
            link.finished(); // the whole conversation: one reply
            hooks.beforeRecord(target.id(), RunHooks.Record.FINISH);
            Execution done = catalog.finishUnchanged(executionId, base.get(), link.bytesRead(), List.of());
            LOG.log(
                    Level.INFO,
                    "[target {0}] run {1} UNCHANGED: archive {2} is current ({3} bytes on the wire)",
                    target.id(),
                    executionId,
                    base.get().id(),
                    done.bytesReceived());
            return done;
        }
    }
}
