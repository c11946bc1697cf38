package org.clusterbackup.core.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import org.clusterbackup.core.catalog.Archive;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.NewArchive;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolException;
import org.clusterbackup.core.protocol.Unchanged;
import org.clusterbackup.core.schedule.FailureKind;
import org.clusterbackup.core.store.ArchiveStore;
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

    private final AgentDialer dialer;

    BackupRunner(Catalog catalog, ArchiveStore store, ServerSettings settings, RunHooks hooks, AgentDialer dialer) {
        this.dialer = dialer;
        this.catalog = catalog;
        this.store = store;
        this.settings = settings;
        this.hooks = hooks;
    }

    /**
     * Runs a backup of the target and returns its finished execution.
     *
     * @param trigger {@code MANUAL}, {@code SCHEDULE} or {@code RETRY}
     */
    public Execution run(Target target, String trigger) {
        Execution started = catalog.startExecution(target, trigger);
        LOG.log(Level.INFO, "[target {0}] run {1} started ({2}): {3}", target.id(), started.id(),
                trigger.toLowerCase(java.util.Locale.ROOT), target.label());
        Attempt attempt = new Attempt(target, started.id());
        Execution done;
        try {
            done = attempt.perform();
        } catch (RunFailure f) {
            done = fail(target, started.id(), f.kind(), f.getMessage(), attempt.bytesReceived(), attempt.warnings);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "[target " + target.id() + "] run " + started.id() + " failed unexpectedly", e);
            done = fail(target, started.id(), FailureKind.OTHER, "internal error: " + e.getMessage(),
                    attempt.bytesReceived(), attempt.warnings);
        }
        if (Execution.STORED.equals(done.outcome())) {
            applyRetention(target);
        }
        return done;
    }

    private Execution fail(Target target, long executionId, FailureKind kind, String error, long bytes,
                           List<String> warnings) {
        LOG.log(Level.WARNING, "[target {0}] run {1} FAILED ({2}): {3}", target.id(), executionId, kind, error);
        return catalog.finishFailed(executionId, error, kind.name(), bytes, warnings);
    }

    private void applyRetention(Target target) {
        List<Archive> pruned = catalog.pruneBeyond(target.id(), settings.keep());
        for (Archive a : pruned) {
            store.delete(a.fileName());
            LOG.log(Level.INFO, "[target {0}] pruned archive {1} (keeping the newest {2})", target.id(), a.id(),
                    settings.keep());
        }
    }

    /** The state of one run in progress. */
    private final class Attempt {
        private final Target target;
        private final long executionId;
        private final String agent;
        private BlockingConnection connection;
        private List<String> warnings = List.of();

        Attempt(Target target, long executionId) {
            this.target = target;
            this.executionId = executionId;
            this.agent = AgentDialer.label(target.node(), target.port());
        }

        long bytesReceived() {
            return connection == null ? 0 : connection.bytesRead();
        }

        Execution perform() throws RunFailure {
            Optional<Archive> base = catalog.newestSoundArchive(target.id());
            try {
                connect();
                try {
                    connection.send(new BackupRequest(target.path(), base.map(Archive::digest).orElse(null)));
                    Message first = connection.receive();
                    if (first instanceof Unchanged u) {
                        return unchanged(u, base);
                    }
                    if (first instanceof ArchiveBegin) {
                        return receiveArchive();
                    }
                    throw unexpected(first, "Unchanged or ArchiveBegin");
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

        private void connect() throws RunFailure {
            connection = dialer.open(target.node(), target.port());
        }

        private Execution unchanged(Unchanged u, Optional<Archive> base) throws RunFailure {
            if (base.isEmpty() || !base.get().digest().equals(u.digest())) {
                throw new RunFailure(FailureKind.OTHER, agent + " answered Unchanged for digest " + u.digest()
                        + ", which is not the digest of the current archive");
            }
            Execution done = catalog.finishUnchanged(executionId, base.get(), connection.bytesRead(), List.of());
            LOG.log(Level.INFO, "[target {0}] run {1} UNCHANGED: archive {2} is current ({3} bytes on the wire)",
                    target.id(), executionId, base.get().id(), done.bytesReceived());
            return done;
        }

        private Execution receiveArchive() throws IOException, RunFailure {
            try (TempArchive temp = createTemp()) {
                ArchiveEnd end;
                while (true) {
                    Message m = connection.receive();
                    if (m instanceof Data d) {
                        write(temp, d.bytes());
                        hooks.afterData(target.id(), temp.size());
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
                    throw new RunFailure(FailureKind.OTHER, "the archive from " + agent + " failed its check: received "
                            + temp.size() + " bytes with sha256 " + sha256 + ", the agent announced " + end.size()
                            + " bytes with sha256 " + end.sha256());
                }
                try {
                    temp.force();
                    Execution done = catalog.finishStored(executionId, new NewArchive(end.size(), end.files(), sha256,
                            end.digest()), connection.bytesRead(), end.warnings(),
                            (targetId, archiveId) -> store.place(temp, targetId, archiveId));
                    LOG.log(Level.INFO, "[target {0}] run {1} STORED archive {2}: {3} bytes, {4} files, {5} warnings",
                            target.id(), executionId, done.archiveId(), end.size(), end.files(), end.warnings().size());
                    return done;
                } catch (IOException e) {
                    throw new RunFailure(FailureKind.OTHER, "cannot store the archive in " + store.archivesDir()
                            + ": " + e.getMessage(), e);
                }
            }
        }

        private TempArchive createTemp() throws RunFailure {
            try {
                return store.createTemp(target.id(), executionId);
            } catch (IOException e) {
                throw new RunFailure(FailureKind.OTHER, "cannot create a file in " + store.archivesDir() + ": "
                        + e.getMessage(), e);
            }
        }

        private void write(TempArchive temp, byte[] bytes) throws RunFailure {
            try {
                temp.write(bytes);
            } catch (IOException e) {
                throw new RunFailure(FailureKind.OTHER, "cannot write the archive to " + store.archivesDir() + ": "
                        + e.getMessage(), e);
            }
        }

        private RunFailure unexpected(Message m, String expected) {
            if (m instanceof ErrorReply error) {
                return new RunFailure(FailureKind.REFUSED, agent + " refused: " + error.message());
            }
            return new RunFailure(FailureKind.OTHER, agent + " sent " + m.getClass().getSimpleName() + " where "
                    + expected + " was expected");
        }

        private RunFailure broken(IOException e) {
            if (e instanceof ProtocolException) {
                return new RunFailure(FailureKind.OTHER, "protocol error from " + agent + ": " + e.getMessage(), e);
            }
            String what = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return new RunFailure(FailureKind.UNREACHABLE, "connection to " + agent + " broke after "
                    + bytesReceived() + " bytes: " + what, e);
        }
    }
}
