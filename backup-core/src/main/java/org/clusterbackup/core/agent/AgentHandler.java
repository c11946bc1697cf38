package org.clusterbackup.core.agent;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.RefusedException;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.net.ConnectionHandler;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.MessageType;
import org.clusterbackup.core.protocol.RestoreBegin;
import org.clusterbackup.core.protocol.RestoreDone;
import org.clusterbackup.core.protocol.RestoreReady;
import org.clusterbackup.core.restore.ExtractResult;
import org.clusterbackup.core.restore.RestoreLimitException;
import org.clusterbackup.core.restore.RestorePolicy;
import org.clusterbackup.core.restore.SafeExtractor;
import org.clusterbackup.core.restore.UnsafeArchiveException;

/**
 * Serves one data-plane connection from a backup server. A backup: resolve the path against the allow list,
 * scan with the stat cache, then answer {@code Unchanged} or stream the archive. A restore: check the target
 * against the restore roots, then feed the incoming archive to the extractor. The transport sends keep-alives
 * while a long scan runs, so the server's idle timeout measures silence, not tree size.
 */
final class AgentHandler implements ConnectionHandler {
    private static final System.Logger LOG = System.getLogger(AgentHandler.class.getName());

    private final Connection connection;
    private final AgentSettings settings;
    private final PathPolicy policy;
    private final TreeArchiver archiver;
    private final RootLocks locks;
    private final RestorePolicy restorePolicy;
    private final SafeExtractor extractor;
    private final RestoreSlots slots;
    private RestoreSession restore;
    private String restoreTarget;
    private boolean restoreBegun;

    AgentHandler(
            Connection connection,
            AgentSettings settings,
            PathPolicy policy,
            TreeArchiver archiver,
            RootLocks locks,
            RestorePolicy restorePolicy,
            SafeExtractor extractor,
            RestoreSlots slots) {
        this.connection = connection;
        this.settings = settings;
        this.policy = policy;
        this.archiver = archiver;
        this.locks = locks;
        this.restorePolicy = restorePolicy;
        this.extractor = extractor;
        this.slots = slots;
        // Its Hello came over TLS from a server this agent pins: the peer is who it says it is.
        connection.authenticated();
    }

    @Override
    public void onMessage(Message message) throws IOException, InterruptedException {
        if (!serve(message)) {
            connection.send(new ErrorReply(
                    ErrorCode.PROTOCOL,
                    "the agent does not serve " + message.getClass().getSimpleName() + " here"));
        }
    }

    /**
     * Serves one message of the data plane; false when it is no request of this port, or not now (restore
     * data outside a restore). A switch expression over every {@link MessageType}, without a default: a new
     * message type does not compile until it is placed here. The casts follow
     * {@link MessageType#messageClass()}.
     */
    private boolean serve(Message m) throws IOException, InterruptedException {
        return switch (MessageType.of(m)) {
            case BACKUP -> {
                backup((BackupRequest) m);
                yield true;
            }
            case RESTORE_BEGIN -> {
                beginRestore((RestoreBegin) m);
                yield true;
            }
            case DATA -> {
                boolean restoring = restore != null;
                if (restoring) {
                    restore.accept(((Data) m).bytes());
                }
                yield restoring;
            }
            case RESTORE_END -> {
                boolean restoring = restore != null;
                if (restoring) {
                    endRestore();
                }
                yield restoring;
            }
            // Replies, the common messages and the whole control plane: never a request to this port.
            case HELLO,
                    ERROR,
                    KEEP_ALIVE,
                    REGISTER,
                    UNREGISTER,
                    LIST,
                    TARGET,
                    TARGET_PAGE,
                    RUN,
                    BACKUPS,
                    LOG,
                    ARCHIVE_PAGE,
                    EXECUTION_PAGE,
                    EXECUTION,
                    FETCH,
                    VERIFY,
                    VERIFY_PAGE,
                    RESTORE,
                    RESTORE_REPLY,
                    FILES,
                    FILE_PAGE,
                    FILE_FETCH,
                    CHANGES,
                    CHANGE_PAGE,
                    TRUST,
                    TRUST_REPLY,
                    TOKEN_CREATE,
                    TOKEN_CREATED,
                    TOKEN_LIST,
                    TOKEN_PAGE,
                    TOKEN_REVOKE,
                    TOKEN_REVOKED,
                    AUDIT,
                    AUDIT_PAGE,
                    UNCHANGED,
                    ARCHIVE_BEGIN,
                    ARCHIVE_END,
                    RESTORE_READY,
                    RESTORE_DONE,
                    SEGMENT,
                    SCAN_PROGRESS,
                    DELTA_BEGIN,
                    DELTA_REMOVED,
                    DELTA_END,
                    BLOCKS_BEGIN,
                    SERVERS,
                    SERVER_PAGE,
                    REGISTER_BATCH,
                    REGISTER_BATCH_REPLY,
                    UNREGISTER_BATCH,
                    UNREGISTER_BATCH_REPLY,
                    TARGET_CHANGES,
                    TARGET_CHANGE_PAGE -> false;
        };
    }

    @Override
    public void onClose() {
        if (restore != null) {
            restore.abort();
        }
    }

    private void beginRestore(RestoreBegin begin) throws IOException {
        // One per connection: a peer that could start restores in a loop on one connection would pile up
        // threads and staging directories.
        if (restoreBegun) {
            connection.fail(new ErrorReply(
                    ErrorCode.PROTOCOL, "one restore per connection, and this connection" + " already began one"));
            return;
        }
        restoreBegun = true;
        Path target;
        try {
            target = restorePolicy.checkTarget(begin.target());
        } catch (RefusedException e) {
            LOG.log(Level.WARNING, "[conn {0}] restore refused: {1}", connection.id(), e.getMessage());
            connection.send(new ErrorReply(e.code(), e.getMessage()));
            return;
        }
        if (!slots.tryTake()) {
            connection.send(new ErrorReply(
                    ErrorCode.BUSY,
                    "this agent is already running " + slots.max() + " restores, its maximum; try again later"));
            return;
        }
        restore = RestoreSession.start(
                extractor,
                target,
                begin.size(),
                begin.sha256(),
                slots,
                settings.restore().idleTimeout());
        restoreTarget = begin.target();
        connection.send(new RestoreReady());
    }

    private void endRestore() throws IOException, InterruptedException {
        RestoreSession session = restore;
        restore = null;
        try {
            ExtractResult done = session.finish();
            LOG.log(
                    Level.INFO,
                    "[conn {0}] restored {1}: {2} files, {3} bytes",
                    connection.id(),
                    restoreTarget,
                    done.files(),
                    done.bytes());
            connection.send(new RestoreDone(done.files(), done.bytes(), done.warnings()));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            ErrorCode code = cause instanceof UnsafeArchiveException || cause instanceof RestoreLimitException
                    ? ErrorCode.REFUSED
                    : ErrorCode.FAILED;
            String left = SafeExtractor.leftBehind(cause);
            String message = "restore into " + restoreTarget + " failed, "
                    + (left == null
                            ? "nothing was left there"
                            : "and not everything it wrote could be removed (" + left + ")")
                    + ": " + cause.getMessage();
            LOG.log(Level.WARNING, "[conn {0}] {1}", connection.id(), message);
            connection.send(new ErrorReply(code, message));
        }
    }

    private void backup(BackupRequest request) throws IOException, InterruptedException {
        int level = request.effectiveCompressionLevel();
        if (level < BackupRequest.MIN_COMPRESSION_LEVEL || level > BackupRequest.MAX_COMPRESSION_LEVEL) {
            String message = "compressionLevel " + request.compressionLevel() + " is not between "
                    + BackupRequest.MIN_COMPRESSION_LEVEL + " and " + BackupRequest.MAX_COMPRESSION_LEVEL;
            LOG.log(Level.WARNING, "[conn {0}] bad request: {1}", connection.id(), message);
            connection.send(new ErrorReply(ErrorCode.BAD_REQUEST, message));
            return;
        }
        Path root;
        try {
            root = policy.resolveDirectory(request.path());
        } catch (RefusedException e) {
            LOG.log(Level.WARNING, "[conn {0}] refused: {1}", connection.id(), e.getMessage());
            connection.send(new ErrorReply(e.code(), e.getMessage()));
            return;
        }
        // Two servers backing up one root at once would race on its stat cache; the second waits.
        // (The cache is saved once the reply is sent, still under the lock.)
        ReentrantLock lock = locks.acquire(root);
        if (lock == null) {
            LOG.log(
                    Level.WARNING,
                    "[conn {0}] {1}: another backup of it held it for {2} s; refused as busy",
                    connection.id(),
                    root,
                    locks.timeout().toSeconds());
            connection.send(new ErrorReply(
                    ErrorCode.BUSY,
                    "another backup of this directory has been running for over "
                            + locks.timeout().toSeconds() + " s; try again later"));
            return;
        }
        try {
            new BackupRun(connection, settings, archiver).archive(request, root, level);
        } finally {
            lock.unlock();
        }
    }
}
