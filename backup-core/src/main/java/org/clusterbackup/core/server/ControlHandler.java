package org.clusterbackup.core.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.clusterbackup.core.catalog.Archive;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.CatalogException;
import org.clusterbackup.core.catalog.SecurityCatalog;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.index.IndexFile;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.Frequency;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.RefusedException;
import org.clusterbackup.core.model.TargetPath;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.net.ConnectionHandler;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.AuditPage;
import org.clusterbackup.core.protocol.AuditRequest;
import org.clusterbackup.core.protocol.BackupsRequest;
import org.clusterbackup.core.protocol.ChangePage;
import org.clusterbackup.core.protocol.ChangesRequest;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.ExecutionReply;
import org.clusterbackup.core.protocol.FetchRequest;
import org.clusterbackup.core.protocol.FileFetchRequest;
import org.clusterbackup.core.protocol.FilesRequest;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.protocol.LogRequest;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.MessageType;
import org.clusterbackup.core.protocol.RegisterBatchRequest;
import org.clusterbackup.core.protocol.RegisterRequest;
import org.clusterbackup.core.protocol.RestoreRequest;
import org.clusterbackup.core.protocol.RunRequest;
import org.clusterbackup.core.protocol.ServerPage;
import org.clusterbackup.core.protocol.TargetChangesRequest;
import org.clusterbackup.core.protocol.TargetPage;
import org.clusterbackup.core.protocol.TargetReply;
import org.clusterbackup.core.protocol.TokenCreateRequest;
import org.clusterbackup.core.protocol.TokenPage;
import org.clusterbackup.core.protocol.TokenRevokeRequest;
import org.clusterbackup.core.protocol.TrustRequest;
import org.clusterbackup.core.protocol.UnregisterBatchRequest;
import org.clusterbackup.core.protocol.UnregisterRequest;
import org.clusterbackup.core.protocol.VerifyPage;
import org.clusterbackup.core.protocol.VerifyRequest;
import org.clusterbackup.core.protocol.VerifyResult;
import org.clusterbackup.core.schedule.BackupScheduler;
import org.clusterbackup.core.server.api.ServerSettings;
import org.clusterbackup.core.store.ArchiveStore;
import org.clusterbackup.core.store.ArchiveVerifier;

/**
 * Serves one control-plane connection (CLI or console). Requests are validated again here with the same
 * rules the clients use: the server trusts no client.
 */
final class ControlHandler implements ConnectionHandler {
    private static final System.Logger LOG = System.getLogger(ControlHandler.class.getName());
    /** Targets per {@link TargetPage}; keeps every frame far below the JSON limit. */
    static final int PAGE_SIZE = 500;

    private final Connection connection;
    private final Catalog catalog;
    private final ArchiveStore store;
    private final BackupScheduler scheduler;
    private final ScheduledRuns runs;
    private final ArchiveVerifier verifier;
    private final RestoreRunner restores;
    private final AccessControl access;
    private final SecurityRequests securityRequests;
    private final ArchiveFiles files;
    /** Which server runs which target: this one alone, or the claims of a shared catalog. */
    private final Cluster cluster;

    private final Listings listings;
    private final BatchRegistrations batches;
    private final ChangedTargets changedTargets;

    ControlHandler(
            Connection connection,
            Catalog catalog,
            ArchiveStore store,
            BackupScheduler scheduler,
            ScheduledRuns runs,
            ServerSettings settings,
            RunHooks hooks,
            AgentDialer dialer,
            AccessControl access,
            SecurityCatalog security,
            Cluster cluster,
            String epoch) {
        this.cluster = cluster;
        this.access = access;
        this.securityRequests = new SecurityRequests(connection, security);
        this.connection = connection;
        this.catalog = catalog;
        this.store = store;
        this.scheduler = scheduler;
        this.runs = runs;
        this.verifier = new ArchiveVerifier(store);
        this.restores = new RestoreRunner(store, settings, hooks, dialer);
        this.files = new ArchiveFiles(connection, store);
        this.listings = new Listings(connection, catalog, store, scheduler, cluster);
        this.batches = new BatchRegistrations(connection, catalog, scheduler, cluster);
        this.changedTargets = new ChangedTargets(connection, catalog, listings, cluster, epoch);
    }

    @Override
    public void onMessage(Message message) throws Exception {
        try {
            Request request = request(message);
            if (request == null) {
                // A Data frame or a data-plane message here is a peer that lost the conversation (or never
                // had one): the stream cannot be trusted further, so it is closed, as the protocol says. This
                // comes before the token check: it is not a request, so there is nothing to authorise or audit.
                connection.fail(new ErrorReply(
                        ErrorCode.PROTOCOL,
                        "the server does not serve " + message.getClass().getSimpleName() + " on its control port"));
                return;
            }
            access.handle(connection, message, request::serve);
        } catch (InvalidInputException e) {
            connection.send(new ErrorReply(ErrorCode.BAD_REQUEST, e.getMessage()));
        } catch (RefusedException e) {
            connection.send(new ErrorReply(e.code(), e.getMessage()));
        } catch (CatalogException e) {
            // The catalog's storage failed (full, locked by another process): the operator's to fix, not a
            // bug of ours, so no INTERNAL and no stack trace.
            String what = StorageFault.describe(e);
            LOG.log(
                    Level.WARNING,
                    "[conn {0}] {1} failed in the catalog: {2}",
                    connection.id(),
                    message.getClass().getSimpleName(),
                    what);
            connection.send(new ErrorReply(ErrorCode.FAILED, "the server's catalog failed: " + what));
        }
    }

    /** Serving one control request. */
    @FunctionalInterface
    private interface Request {
        void serve() throws IOException, InterruptedException;
    }

    /**
     * What serves the message, or null when it is no request of this port. A switch expression over every
     * {@link MessageType}, without a default: a new message type does not compile until it is placed here.
     * The casts follow {@link MessageType#messageClass()}.
     */
    private Request request(Message m) {
        return switch (MessageType.of(m)) {
            case REGISTER -> () -> register((RegisterRequest) m);
            case UNREGISTER -> () -> unregister((UnregisterRequest) m);
            case LIST -> listings::list;
            case RUN -> () -> run((RunRequest) m);
            case BACKUPS -> () -> listings.backups((BackupsRequest) m);
            case LOG -> () -> listings.log((LogRequest) m);
            case FETCH -> () -> fetch((FetchRequest) m);
            case VERIFY -> () -> verify((VerifyRequest) m);
            case RESTORE -> () -> restore((RestoreRequest) m);
            case FILES -> () -> files.list(storedArchive(((FilesRequest) m).archiveId()));
            case CHANGES -> () -> changes(storedArchive(((ChangesRequest) m).archiveId()));
            case FILE_FETCH ->
                () -> {
                    FileFetchRequest f = (FileFetchRequest) m;
                    files.fetch(storedArchive(f.archiveId()), f.path());
                };
            case TRUST -> () -> securityRequests.trust((TrustRequest) m);
            case TOKEN_CREATE -> () -> securityRequests.createToken((TokenCreateRequest) m);
            case TOKEN_LIST -> () -> pages(securityRequests.tokens(), TokenPage::new);
            case TOKEN_REVOKE -> () -> securityRequests.revokeToken((TokenRevokeRequest) m);
            case AUDIT -> () -> pages(securityRequests.audit((AuditRequest) m), AuditPage::new);
            case SERVERS ->
                () -> pages(cluster.servers().stream().map(Views::server).toList(), ServerPage::new);
            case REGISTER_BATCH -> () -> batches.register((RegisterBatchRequest) m);
            case UNREGISTER_BATCH -> () -> batches.unregister((UnregisterBatchRequest) m);
            case TARGET_CHANGES -> () -> changedTargets.serve((TargetChangesRequest) m);
            // Replies, the common messages and the whole data plane: never a request to this port.
            case HELLO,
                    ERROR,
                    KEEP_ALIVE,
                    DATA,
                    TARGET,
                    TARGET_PAGE,
                    ARCHIVE_PAGE,
                    EXECUTION_PAGE,
                    EXECUTION,
                    VERIFY_PAGE,
                    RESTORE_REPLY,
                    FILE_PAGE,
                    CHANGE_PAGE,
                    TRUST_REPLY,
                    TOKEN_CREATED,
                    TOKEN_PAGE,
                    TOKEN_REVOKED,
                    AUDIT_PAGE,
                    BACKUP,
                    UNCHANGED,
                    ARCHIVE_BEGIN,
                    ARCHIVE_END,
                    RESTORE_BEGIN,
                    RESTORE_READY,
                    RESTORE_END,
                    RESTORE_DONE,
                    SEGMENT,
                    SCAN_PROGRESS,
                    DELTA_BEGIN,
                    DELTA_REMOVED,
                    DELTA_END,
                    BLOCKS_BEGIN,
                    SERVER_PAGE,
                    REGISTER_BATCH_REPLY,
                    UNREGISTER_BATCH_REPLY,
                    TARGET_CHANGE_PAGE -> null;
        };
    }

    private void register(RegisterRequest r) throws IOException {
        String node = NodeAddress.normalize(r.node());
        int port = NodeAddress.checkPort(r.port());
        String path = TargetPath.normalize(r.path());
        long every = Frequency.checkSeconds(r.everySeconds());
        SecurityRequests.checkFingerprint(r.agentFingerprint());
        Target t = catalog.register(node, port, path, every);
        if (r.agentFingerprint() != null) {
            securityRequests.pinRegistered(node, port, r.agentFingerprint());
        }
        cluster.registered(List.of(t));
        LOG.log(Level.INFO, "[target {0}] registered {1} every {2}", t.id(), t.label(), Frequency.format(every));
        connection.send(new TargetReply(Views.target(t)));
    }

    private void unregister(UnregisterRequest u) throws IOException {
        Target t = catalog.unregister(selector(u.target()));
        // Pending work is cancelled; a run in progress finishes and is logged, and is not followed by another.
        scheduler.remove(t.id());
        LOG.log(Level.INFO, "[target {0}] unregistered {1}", t.id(), t.label());
        connection.send(new TargetReply(Views.target(t)));
    }

    private void run(RunRequest r) throws IOException, InterruptedException {
        Target t = catalog.resolve(selector(r.target()));
        if (!t.active()) {
            throw new RefusedException(
                    ErrorCode.NOT_FOUND,
                    "target " + t.label() + " (id " + t.id() + ") is not registered; register it to back it up");
        }
        ExecutionInfo done;
        try {
            // The transport sends keep-alives while this waits, so a run of any length is not cut off.
            done = cluster.run(t).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnrecordedRunException u) {
                connection.send(new ErrorReply(ErrorCode.FAILED, u.getMessage()));
                return;
            }
            if (e.getCause() instanceof RefusedException refused) {
                connection.send(new ErrorReply(refused.code(), refused.getMessage()));
                return;
            }
            LOG.log(Level.ERROR, "[target " + t.id() + "] manual run failed", e.getCause());
            connection.send(new ErrorReply(ErrorCode.INTERNAL, "the run could not complete: " + e.getCause()));
            return;
        }
        connection.send(new ExecutionReply(done));
    }

    /** The differences from the archive before it: the newest earlier archive of its target still kept. */
    private void changes(Archive archive) throws IOException {
        Archive earlier = catalog.archives(archive.targetId()).stream()
                .filter(a -> a.id() < archive.id() && a.stored())
                .findFirst()
                .orElseThrow(() -> new RefusedException(
                        ErrorCode.NOT_FOUND,
                        "archive " + archive.id()
                                + " is the oldest kept archive of its target: there is nothing to compare it with"));
        try (IndexFile before = files.open(earlier);
                IndexFile after = files.open(archive)) {
            pages(ArchiveChanges.between(before, after), ChangePage::new);
        }
    }

    private Archive storedArchive(long id) {
        Archive a = catalog.archive(id)
                .orElseThrow(() -> new RefusedException(ErrorCode.NOT_FOUND, "no archive with id " + id));
        if (!a.stored()) {
            throw new RefusedException(
                    ErrorCode.NOT_FOUND,
                    "archive " + id + " was pruned by retention at " + Json.format(a.prunedAt())
                            + "; its file is gone");
        }
        return a;
    }

    /** Streams an archive file: bounded memory, the send blocks while the client reads slowly. */
    private void fetch(FetchRequest f) throws IOException {
        Archive a = storedArchive(f.archiveId());
        Path file = store.resolve(a.fileName());
        FileChannel channel;
        try {
            channel = store.openForReading(a.fileName());
        } catch (NoSuchFileException e) {
            connection.send(new ErrorReply(ErrorCode.INTEGRITY, "archive " + a.id() + " is missing its file " + file));
            return;
        }
        try (channel) {
            connection.send(new ArchiveBegin(a.files()));
            FileChunks.forEach(channel, (chunk, total) -> connection.send(new Data(chunk)));
        } catch (ClosedChannelException e) {
            throw e; // the client went away
        } catch (IOException e) {
            connection.send(
                    new ErrorReply(ErrorCode.INTEGRITY, "reading archive " + a.id() + " failed: " + e.getMessage()));
            return;
        }
        // Size and sha256 as the catalog recorded them: the client checks the bytes against the truth.
        connection.send(new ArchiveEnd(a.sizeBytes(), a.sha256(), a.digest(), a.files(), List.of()));
    }

    private void restore(RestoreRequest r) throws IOException {
        Archive a = storedArchive(r.archiveId());
        Target origin = catalog.target(a.targetId())
                .orElseThrow(() -> new IllegalStateException("archive " + a.id() + " belongs to no target"));
        String node = r.node() == null ? origin.node() : NodeAddress.normalize(r.node());
        int port = r.port() == null ? origin.port() : NodeAddress.checkPort(r.port());
        String dir = TargetPath.normalize(r.target());
        // The transport keeps the client's connection alive while a big archive streams to the node.
        connection.send(restores.restore(a, origin, node, port, dir));
    }

    private void verify(VerifyRequest v) throws IOException {
        int scopes = (v.archiveId() != null ? 1 : 0) + (v.target() != null ? 1 : 0) + (v.all() ? 1 : 0);
        if (scopes != 1) {
            throw new InvalidInputException("give exactly one of an archive id, a target, or all");
        }
        List<Archive> archives;
        if (v.archiveId() != null) {
            archives = List.of(storedArchive(v.archiveId()));
        } else if (v.target() != null) {
            archives = catalog.archives(catalog.resolve(selector(v.target())).id()).stream()
                    .filter(Archive::stored)
                    .toList();
        } else {
            archives = catalog.storedArchives();
        }
        List<VerifyResult> results = new java.util.ArrayList<>();
        for (Archive a : archives) {
            String problem = verifier.problem(a);
            if (problem != null && catalog.archive(a.id()).map(x -> !x.stored()).orElse(true)) {
                continue; // retention pruned it while we read: nothing left to judge
            }
            catalog.markCorrupt(a.id(), problem != null);
            if (problem != null) {
                LOG.log(Level.WARNING, "[target {0}] archive {1} is damaged: {2}", a.targetId(), a.id(), problem);
            }
            results.add(new VerifyResult(a.id(), problem == null, problem));
        }
        pages(results, VerifyPage::new);
    }

    /** Sends a list as pages of {@link #PAGE_SIZE}; an empty list is one empty last page. */
    private <T> void pages(List<T> all, java.util.function.BiFunction<List<T>, Boolean, Message> page)
            throws IOException {
        int from = 0;
        do {
            int to = Math.min(all.size(), from + PAGE_SIZE);
            connection.send(page.apply(all.subList(from, to), to == all.size()));
            from = to;
        } while (from < all.size());
    }

    static TargetSelector selector(TargetSelector s) {
        if (s == null) {
            throw new InvalidInputException("no target given: name one with node and path");
        }
        return new TargetSelector(
                NodeAddress.normalize(s.node()),
                TargetPath.normalize(s.path()),
                s.port() == null ? null : NodeAddress.checkPort(s.port()));
    }
}
