package org.clusterbackup.core.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.NoSuchFileException;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.DataFormatException;
import org.clusterbackup.core.catalog.Archive;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.index.IndexFile;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.protocol.BlocksBegin;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.DeltaBegin;
import org.clusterbackup.core.protocol.DeltaEnd;
import org.clusterbackup.core.protocol.DeltaRemoved;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.server.api.ServerSettings;
import org.clusterbackup.core.store.ArchiveStore;
import org.clusterbackup.core.store.TempArchive;

/**
 * The changed-only path of one run: receives the agent's delta (plain or block) against the base archive,
 * builds the new full archive from the two ({@link DeltaApplier}) and has it recorded. A delta that does not
 * give the agent's tree is no failure: the reason becomes one line of the execution's warnings and the run
 * asks for a full archive on the same connection ({@link AgentLink#requestAgain}: on a new one if the agent
 * closed it meanwhile).
 */
final class DeltaReception {
    private static final System.Logger LOG = System.getLogger(BackupRunner.class.getName());

    private final AgentLink link;
    private final ArchiveRecorder recorder;
    private final ArchiveStore store;
    private final ServerSettings settings;
    private final RunHooks hooks;
    private final Target target;
    private final long executionId;

    DeltaReception(
            AgentLink link,
            ArchiveRecorder recorder,
            ArchiveStore store,
            ServerSettings settings,
            RunHooks hooks,
            Target target,
            long executionId) {
        this.link = link;
        this.recorder = recorder;
        this.store = store;
        this.settings = settings;
        this.hooks = hooks;
        this.target = target;
        this.executionId = executionId;
    }

    /**
     * Receives a delta that began with {@code begin} and builds the new archive from it and the base.
     *
     * @return the stored execution, or null if the delta did not give the agent's tree (the reason is noted;
     *         the caller asks for a full archive, with {@link AgentLink#requestAgain})
     */
    Execution receive(Message begin, Archive base, IndexFile baseIndex) throws IOException, RunFailure {
        boolean blocks = begin instanceof BlocksBegin;
        String baseDigest = blocks ? ((BlocksBegin) begin).baseDigest() : ((DeltaBegin) begin).baseDigest();
        if (!base.digest().equals(baseDigest)) {
            throw new RunFailure(
                    FailureKind.OTHER,
                    link.agent() + " sent a delta against " + baseDigest + ", not against the offered "
                            + base.digest());
        }
        long began = System.nanoTime();
        try (TempArchive temp = recorder.createTemp();
                DeltaFile delta = new DeltaFile(store.deltaFile(target.id(), executionId))) {
            Set<String> removed = new HashSet<>();
            long removedBytes = 0; // names held in memory count against the run's size limit too
            String broken = null;
            DeltaEnd end;
            while (true) {
                Message m = link.next();
                if (m instanceof Data d) {
                    if (broken == null) {
                        try {
                            delta.write(d.bytes());
                        } catch (DataFormatException e) {
                            broken = "it is not a deflate stream: " + e.getMessage();
                        }
                    }
                    link.watch().checkSize(delta.tarSize() + removedBytes);
                    hooks.afterData(target.id(), delta.tarSize());
                } else if (m instanceof DeltaRemoved r) {
                    for (String path : r.paths()) {
                        removedBytes += path.length();
                    }
                    link.watch().checkSize(delta.tarSize() + removedBytes);
                    removed.addAll(r.paths());
                } else if (m instanceof DeltaEnd e) {
                    end = e;
                    break;
                } else {
                    throw link.unexpected(m, "Data, DeltaRemoved or DeltaEnd");
                }
            }
            long received = System.nanoTime();
            recorder.agentWarnings(end.warnings());
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
                    LOG.log(
                            Level.DEBUG,
                            "[target {0}] run {1}: {2} delta of {3} bytes of tar received in {4} ms, the archive"
                                    + " built from it in {5} ms",
                            target.id(),
                            executionId,
                            built.transfer(),
                            delta.tarSize(),
                            (received - began) / 1_000_000,
                            (System.nanoTime() - received) / 1_000_000);
                    return recorder.store(temp, built.archive(), built.transfer());
                } catch (DeltaApplier.Rejected e) {
                    reason = e.getMessage();
                } catch (NoSuchFileException e) {
                    reason = "the base archive's file is gone: " + e.getFile();
                } catch (IOException e) {
                    throw new RunFailure(
                            FailureKind.OTHER,
                            "cannot build the archive in " + store.archivesDir() + ": " + StorageFault.describe(e),
                            e);
                }
            }
            String fallback = "sent in full: the delta against archive " + base.id() + " did not apply: " + reason;
            recorder.fallback(fallback);
            LOG.log(Level.WARNING, "[target {0}] run {1}: {2}", target.id(), executionId, fallback);
            return null;
        }
    }
}
