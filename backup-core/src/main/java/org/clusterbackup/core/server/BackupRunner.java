package org.clusterbackup.core.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.clusterbackup.core.catalog.Archive;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.CatalogException;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.NewArchive;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.index.ArchiveFormatException;
import org.clusterbackup.core.index.ArchiveReceiver;
import org.clusterbackup.core.index.IndexFile;
import org.clusterbackup.core.index.UnusableIndexException;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.BlocksBegin;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.DeltaBegin;
import org.clusterbackup.core.protocol.DeltaEnd;
import org.clusterbackup.core.protocol.DeltaRemoved;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.KeepAlive;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolException;
import org.clusterbackup.core.protocol.ScanProgress;
import org.clusterbackup.core.protocol.Segment;
import org.clusterbackup.core.protocol.Unchanged;
import org.clusterbackup.core.server.api.ServerSettings;
import org.clusterbackup.core.store.ArchiveStore;
import org.clusterbackup.core.store.SharedSweep;
import org.clusterbackup.core.store.TempArchive;

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

    private final AgentDialer dialer;

    BackupRunner(
            Catalog catalog,
            ArchiveStore store,
            ServerSettings settings,
            RunHooks hooks,
            AgentDialer dialer,
            Clock clock) {
        this.dialer = dialer;
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
            done = fail(target, started.id(), f.kind(), f.getMessage(), attempt.bytesReceived(), attempt.warnings);
        } catch (CatalogException e) {
            done = fail(
                    target,
                    started.id(),
                    FailureKind.OTHER,
                    "cannot record the run in the catalog: " + StorageFault.describe(e),
                    attempt.bytesReceived(),
                    attempt.warnings);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "[target " + target.id() + "] run " + started.id() + " failed unexpectedly", e);
            done = fail(
                    target,
                    started.id(),
                    FailureKind.OTHER,
                    "internal error: " + e.getMessage(),
                    attempt.bytesReceived(),
                    attempt.warnings);
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

    @FunctionalInterface
    private interface ReceiverStep<T> {
        T run() throws ArchiveFormatException, IOException;
    }

    /** The state of one run in progress. */
    private final class Attempt {
        private final Target target;
        private final long executionId;
        private final String agent;
        private final RunWatch watch;
        private BlockingConnection connection;
        private List<String> warnings = List.of();
        /** Why this run's archive was sent in full although a delta was possible: one line each, warnings. */
        private final List<String> fallbacks = new ArrayList<>();

        Attempt(Target target, long executionId) {
            this.target = target;
            this.executionId = executionId;
            this.agent = AgentDialer.label(target.node(), target.port());
            this.watch = new RunWatch(settings.runLimits(), clock, agent);
        }

        long bytesReceived() {
            return connection == null ? 0 : connection.bytesRead();
        }

        Execution perform() throws RunFailure {
            Optional<Archive> base = catalog.newestSoundArchive(target.id());
            if (base.isEmpty()) {
                noteCorruptNewest();
            }
            try (IndexFile baseIndex = base.map(this::deltaBase).orElse(null)) {
                connect();
                try {
                    connection.send(new BackupRequest(
                            target.path(),
                            base.map(Archive::digest).orElse(null),
                            settings.compressionLevel(),
                            baseIndex != null,
                            baseIndex != null));
                    Message first = next();
                    if (first instanceof Unchanged u) {
                        return unchanged(u, base);
                    }
                    if ((first instanceof DeltaBegin || first instanceof BlocksBegin) && baseIndex != null) {
                        Execution done = receiveDelta(first, base.get(), baseIndex);
                        if (done != null) {
                            return done;
                        }
                        connection.send(new BackupRequest(target.path(), null, settings.compressionLevel()));
                        first = next();
                    } else if (baseIndex != null && first instanceof ArchiveBegin) {
                        fallbacks.add("sent in full: the agent holds no manifest of archive "
                                + base.get().id());
                    }
                    if (first instanceof ArchiveBegin) {
                        return receiveArchive();
                    }
                    throw unexpected(first, "Unchanged, ArchiveBegin or DeltaBegin");
                } catch (RunFailure f) {
                    throw f;
                } catch (IOException e) {
                    throw broken(e);
                }
            } finally {
                if (connection != null) {
                    connection.close();
                }
            }
        }

        /** Without a sound base, a newest kept archive marked corrupt is why the run is sent in full. */
        private void noteCorruptNewest() {
            catalog.archives(target.id()).stream()
                    .filter(Archive::stored)
                    .findFirst()
                    .filter(Archive::corrupt)
                    .ifPresent(a -> fallbacks.add("sent in full: archive " + a.id() + " is marked corrupt"));
        }

        /** The base's index, opened, if a delta can be applied to it; else null, and the reason noted. */
        private IndexFile deltaBase(Archive base) {
            if (!java.nio.file.Files.isReadable(store.resolve(base.fileName()))) {
                fallbacks.add("sent in full: archive " + base.id() + " is missing its file "
                        + store.resolve(base.fileName()));
                return null;
            }
            if (!base.indexed()) {
                fallbacks.add("sent in full: archive " + base.id() + " has no index");
                return null;
            }
            try {
                return store.indexes().open(store.resolve(base.indexFileName()), base.indexSha256());
            } catch (UnusableIndexException e) {
                fallbacks.add("sent in full: archive " + base.id() + " cannot be a base: " + e.getMessage());
                return null;
            }
        }

        /**
         * Receives a delta and builds the new archive from it and the base.
         *
         * @return the stored execution, or null if the delta did not give the agent's tree (the reason is
         *         noted; the caller asks for a full archive on the same connection)
         */
        private Execution receiveDelta(Message begin, Archive base, IndexFile baseIndex)
                throws IOException, RunFailure {
            boolean blocks = begin instanceof BlocksBegin;
            String baseDigest = blocks ? ((BlocksBegin) begin).baseDigest() : ((DeltaBegin) begin).baseDigest();
            if (!base.digest().equals(baseDigest)) {
                throw new RunFailure(
                        FailureKind.OTHER,
                        agent + " sent a delta against " + baseDigest + ", not against the offered " + base.digest());
            }
            try (TempArchive temp = createTemp();
                    DeltaFile delta = new DeltaFile(store.deltaFile(target.id(), executionId))) {
                Set<String> removed = new HashSet<>();
                long removedBytes = 0; // names held in memory count against the run's size limit too
                String broken = null;
                DeltaEnd end;
                while (true) {
                    Message m = next();
                    if (m instanceof Data d) {
                        if (broken == null) {
                            try {
                                delta.write(d.bytes());
                            } catch (java.util.zip.DataFormatException e) {
                                broken = "it is not a deflate stream: " + e.getMessage();
                            }
                        }
                        watch.checkSize(delta.tarSize() + removedBytes);
                        hooks.afterData(target.id(), delta.tarSize());
                    } else if (m instanceof DeltaRemoved r) {
                        for (String path : r.paths()) {
                            removedBytes += path.length();
                        }
                        watch.checkSize(delta.tarSize() + removedBytes);
                        removed.addAll(r.paths());
                    } else if (m instanceof DeltaEnd e) {
                        end = e;
                        break;
                    } else {
                        throw unexpected(m, "Data, DeltaRemoved or DeltaEnd");
                    }
                }
                warnings = end.warnings();
                String reason = broken != null ? broken : delta.finish(end.size(), end.sha256());
                if (reason == null) {
                    hooks.beforeSynthesis(target.id());
                    try {
                        DeltaApplier.Applied built = DeltaApplier.apply(
                                store.resolve(base.fileName()),
                                base.sha256(),
                                baseIndex,
                                delta.file(),
                                blocks,
                                removed,
                                settings.compressionLevel(),
                                temp.file(),
                                temp.indexFile(),
                                end,
                                settings.runLimits().maxArchiveSize(),
                                n -> hooks.synthesizing(target.id(), n));
                        return store(temp, built.archive(), end.warnings(), built.transfer());
                    } catch (DeltaApplier.Rejected e) {
                        reason = e.getMessage();
                    } catch (java.nio.file.NoSuchFileException e) {
                        reason = "the base archive's file is gone: " + e.getFile();
                    } catch (IOException e) {
                        throw new RunFailure(
                                FailureKind.OTHER,
                                "cannot build the archive in " + store.archivesDir() + ": " + StorageFault.describe(e),
                                e);
                    }
                }
                fallbacks.add("sent in full: the delta against archive " + base.id() + " did not apply: " + reason);
                LOG.log(
                        Level.WARNING,
                        "[target {0}] run {1}: {2}",
                        target.id(),
                        executionId,
                        fallbacks.get(fallbacks.size() - 1));
                return null;
            }
        }

        private void connect() throws RunFailure {
            connection = dialer.open(target.node(), target.port());
        }

        private Execution unchanged(Unchanged u, Optional<Archive> base) throws RunFailure {
            if (base.isEmpty() || !base.get().digest().equals(u.digest())) {
                throw new RunFailure(
                        FailureKind.OTHER,
                        agent + " answered Unchanged for digest " + u.digest()
                                + ", which is not the digest of the current archive");
            }
            hooks.beforeRecord(target.id(), RunHooks.Record.FINISH);
            Execution done = catalog.finishUnchanged(executionId, base.get(), connection.bytesRead(), List.of());
            LOG.log(
                    Level.INFO,
                    "[target {0}] run {1} UNCHANGED: archive {2} is current ({3} bytes on the wire)",
                    target.id(),
                    executionId,
                    base.get().id(),
                    done.bytesReceived());
            return done;
        }

        private Execution receiveArchive() throws IOException, RunFailure {
            try (TempArchive temp = createTemp();
                    ArchiveReceiver receiver = receiver(temp)) {
                ArchiveEnd end;
                while (true) {
                    Message m = next();
                    if (m instanceof Data d) {
                        watch.checkSize(temp.size() + d.bytes().length);
                        write(temp, d.bytes());
                        check(() -> receiver.data(d.bytes()));
                        hooks.afterData(target.id(), temp.size());
                    } else if (m instanceof Segment s) {
                        check(() -> receiver.segment(s));
                    } else if (m instanceof ArchiveEnd e) {
                        end = e;
                        break;
                    } else {
                        throw unexpected(m, "Data or ArchiveEnd");
                    }
                }
                warnings = end.warnings();
                String sha256 = temp.sha256();
                if (temp.size() != end.size() || !sha256.equals(end.sha256())) {
                    throw new RunFailure(
                            FailureKind.OTHER,
                            "the archive from " + agent + " failed its check: received "
                                    + temp.size() + " bytes with sha256 " + sha256 + ", the agent announced "
                                    + end.size()
                                    + " bytes with sha256 " + end.sha256());
                }
                String indexSha256 = check(receiver::end);
                try {
                    temp.force();
                } catch (IOException e) {
                    throw storeFailed(e);
                }
                return store(
                        temp,
                        new NewArchive(end.size(), end.files(), sha256, end.digest(), indexSha256),
                        end.warnings(),
                        Execution.FULL);
            }
        }

        /** Records a finished, forced archive and its index with the execution, in one transaction. */
        private Execution store(TempArchive temp, NewArchive archive, List<String> agentWarnings, String transfer)
                throws RunFailure {
            List<String> all = new ArrayList<>(fallbacks);
            all.addAll(agentWarnings);
            try {
                hooks.beforeRecord(target.id(), RunHooks.Record.FINISH);
                Execution done = catalog.finishStored(
                        executionId, archive, connection.bytesRead(), all, transfer, (targetId, archiveId) -> {
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

        private RunFailure storeFailed(IOException e) {
            return new RunFailure(
                    FailureKind.OTHER,
                    "cannot store the archive in " + store.archivesDir() + ": " + StorageFault.describe(e),
                    e);
        }

        /** The agent's next message; keep-alives and scan progress are taken here, with the run's deadlines. */
        private Message next() throws IOException, RunFailure {
            while (true) {
                Message m = connection.receiveAny();
                if (m instanceof Data) {
                    watch.progressed();
                } else if (m instanceof ScanProgress p) {
                    watch.scanned(p.entries());
                }
                watch.check();
                if (!(m instanceof KeepAlive) && !(m instanceof ScanProgress)) {
                    return m;
                }
            }
        }

        private TempArchive createTemp() throws RunFailure {
            try {
                return store.createTemp(target.id(), executionId);
            } catch (IOException e) {
                throw new RunFailure(
                        FailureKind.OTHER,
                        "cannot create a file in " + store.archivesDir() + ": " + StorageFault.describe(e),
                        e);
            }
        }

        private ArchiveReceiver receiver(TempArchive temp) throws RunFailure {
            try {
                return new ArchiveReceiver(temp.indexFile());
            } catch (IOException e) {
                throw new RunFailure(
                        FailureKind.OTHER,
                        "cannot create the index in " + store.archivesDir() + ": " + e.getMessage(),
                        e);
            }
        }

        /** Runs one step of the receiver: a bad archive or a failing index write fails the run, never the link. */
        private <T> T check(ReceiverStep<T> step) throws RunFailure {
            try {
                return step.run();
            } catch (ArchiveFormatException e) {
                throw new RunFailure(
                        FailureKind.OTHER, "the archive from " + agent + " is not valid: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new RunFailure(
                        FailureKind.OTHER,
                        "cannot write the index to " + store.archivesDir() + ": " + e.getMessage(),
                        e);
            }
        }

        private void write(TempArchive temp, byte[] bytes) throws RunFailure {
            try {
                temp.write(bytes);
            } catch (IOException e) {
                throw new RunFailure(
                        FailureKind.OTHER,
                        "cannot write the archive to " + store.archivesDir() + ": " + StorageFault.describe(e),
                        e);
            }
        }

        private RunFailure unexpected(Message m, String expected) {
            if (m instanceof ErrorReply error) {
                return new RunFailure(FailureKind.REFUSED, agent + " refused: " + ErrorReply.clip(error.message()));
            }
            return new RunFailure(
                    FailureKind.OTHER,
                    agent + " sent " + m.getClass().getSimpleName() + " where " + expected + " was expected");
        }

        private RunFailure broken(IOException e) {
            if (e instanceof ProtocolException) {
                return new RunFailure(FailureKind.OTHER, "protocol error from " + agent + ": " + e.getMessage(), e);
            }
            String what = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return new RunFailure(
                    FailureKind.UNREACHABLE,
                    "connection to " + agent + " broke after " + bytesReceived() + " bytes: " + what,
                    e);
        }
    }
}
