package org.clusterbackup.core.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.clusterbackup.core.catalog.Archive;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.RefusedException;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.RestoreBegin;
import org.clusterbackup.core.protocol.RestoreDone;
import org.clusterbackup.core.protocol.RestoreEnd;
import org.clusterbackup.core.protocol.RestoreReady;
import org.clusterbackup.core.protocol.RestoreReply;
import org.clusterbackup.core.server.api.ServerSettings;
import org.clusterbackup.core.store.ArchiveStore;

/**
 * Streams a kept archive to a node's agent, which extracts it. Every failure becomes a {@link RefusedException}
 * with the code the client maps to its exit status: the agent's refusal keeps the agent's code
 * ({@code REFUSED}), a node that cannot be reached is {@code UNREACHABLE}, a transfer that breaks off is
 * {@code FAILED}, a damaged file here is {@code INTEGRITY}.
 */
final class RestoreRunner {
    private static final System.Logger LOG = System.getLogger(RestoreRunner.class.getName());

    private final ArchiveStore store;
    private final ServerSettings settings;
    private final RunHooks hooks;

    private final AgentDialer dialer;

    RestoreRunner(ArchiveStore store, ServerSettings settings, RunHooks hooks, AgentDialer dialer) {
        this.dialer = dialer;
        this.store = store;
        this.settings = settings;
        this.hooks = hooks;
    }

    RestoreReply restore(Archive archive, Target origin, String node, int port, String targetDir) throws IOException {
        String agent = AgentDialer.label(node, port);
        Path file = store.resolve(archive.fileName());
        FileChannel channel;
        try {
            channel = store.openForReading(archive.fileName());
        } catch (NoSuchFileException e) {
            throw new RefusedException(ErrorCode.INTEGRITY, "archive " + archive.id() + " is missing its file " + file);
        }
        BlockingConnection c;
        try (channel) {
            try {
                c = dialer.open(node, port);
            } catch (RunFailure f) {
                throw new RefusedException(
                        f.kind() == FailureKind.UNREACHABLE ? ErrorCode.UNREACHABLE : ErrorCode.FAILED, f.getMessage());
            }
            try (c) {
                c.send(new RestoreBegin(targetDir, archive.sizeBytes(), archive.sha256()));
                c.expect(RestoreReady.class);
                long[] sent = {0};
                try {
                    FileChunks.forEach(channel, (chunk, total) -> {
                        c.send(new Data(chunk));
                        sent[0] = total;
                        hooks.afterRestoreData(archive.id(), total);
                    });
                    c.send(new RestoreEnd());
                    RestoreDone done = c.expect(RestoreDone.class);
                    LOG.log(
                            Level.INFO,
                            "[target {0}] archive {1} restored on {2} into {3}: {4} files",
                            origin.id(),
                            archive.id(),
                            agent,
                            targetDir,
                            done.files());
                    return new RestoreReply(
                            archive.id(), node, port, targetDir, done.files(), done.bytes(), done.warnings());
                } catch (RemoteErrorException e) {
                    throw e;
                } catch (IOException e) {
                    throw new RefusedException(
                            ErrorCode.FAILED,
                            "restore on " + agent + " broke off after " + sent[0]
                                    + " of " + archive.sizeBytes() + " bytes: " + e.getMessage()
                                    + "; nothing was left in "
                                    + targetDir);
                }
            } catch (RemoteErrorException e) {
                throw new RefusedException(e.code(), agent + ": " + e.getMessage());
            }
        }
    }
}
