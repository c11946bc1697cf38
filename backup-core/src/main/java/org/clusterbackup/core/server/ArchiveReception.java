package org.clusterbackup.core.server;

import java.io.IOException;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.NewArchive;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.index.ArchiveFormatException;
import org.clusterbackup.core.index.ArchiveReceiver;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.Segment;
import org.clusterbackup.core.store.ArchiveStore;
import org.clusterbackup.core.store.TempArchive;

/**
 * The full-archive path of one run: streams the agent's archive to a temp file while {@link ArchiveReceiver}
 * checks it and writes its index, checks the whole against what the agent announced, forces it to disk and
 * has it recorded. A bad archive fails the run; nothing of it is kept.
 */
final class ArchiveReception {
    @FunctionalInterface
    private interface ReceiverStep<T> {
        T run() throws ArchiveFormatException, IOException;
    }

    private final AgentLink link;
    private final ArchiveRecorder recorder;
    private final ArchiveStore store;
    private final RunHooks hooks;
    private final Target target;

    ArchiveReception(AgentLink link, ArchiveRecorder recorder, ArchiveStore store, RunHooks hooks, Target target) {
        this.link = link;
        this.recorder = recorder;
        this.store = store;
        this.hooks = hooks;
        this.target = target;
    }

    /** Receives the archive whose {@code ArchiveBegin} has come, and records it. */
    Execution receive() throws IOException, RunFailure {
        try (TempArchive temp = recorder.createTemp();
                ArchiveReceiver receiver = receiver(temp)) {
            ArchiveEnd end;
            while (true) {
                Message m = link.next();
                if (m instanceof Data d) {
                    link.watch().checkSize(temp.size() + d.bytes().length);
                    write(temp, d.bytes());
                    check(() -> receiver.data(d.bytes()));
                    hooks.afterData(target.id(), temp.size());
                } else if (m instanceof Segment s) {
                    check(() -> receiver.segment(s));
                } else if (m instanceof ArchiveEnd e) {
                    end = e;
                    break;
                } else {
                    throw link.unexpected(m, "Data or ArchiveEnd");
                }
            }
            recorder.agentWarnings(end.warnings());
            String sha256 = temp.sha256();
            if (temp.size() != end.size() || !sha256.equals(end.sha256())) {
                throw new RunFailure(
                        FailureKind.OTHER,
                        "the archive from " + link.agent() + " failed its check: received "
                                + temp.size() + " bytes with sha256 " + sha256 + ", the agent announced "
                                + end.size()
                                + " bytes with sha256 " + end.sha256());
            }
            String indexSha256 = check(receiver::end);
            try {
                temp.force();
            } catch (IOException e) {
                throw recorder.storeFailed(e);
            }
            return recorder.store(
                    temp, new NewArchive(end.size(), end.files(), sha256, end.digest(), indexSha256), Execution.FULL);
        }
    }

    private ArchiveReceiver receiver(TempArchive temp) throws RunFailure {
        try {
            return new ArchiveReceiver(temp.indexFile());
        } catch (IOException e) {
            throw new RunFailure(
                    FailureKind.OTHER, "cannot create the index in " + store.archivesDir() + ": " + e.getMessage(), e);
        }
    }

    /** Runs one step of the receiver: a bad archive or a failing index write fails the run, never the link. */
    private <T> T check(ReceiverStep<T> step) throws RunFailure {
        try {
            return step.run();
        } catch (ArchiveFormatException e) {
            throw new RunFailure(
                    FailureKind.OTHER, "the archive from " + link.agent() + " is not valid: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RunFailure(
                    FailureKind.OTHER, "cannot write the index to " + store.archivesDir() + ": " + e.getMessage(), e);
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
}
