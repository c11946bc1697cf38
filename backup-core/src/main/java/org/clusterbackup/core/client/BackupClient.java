package org.clusterbackup.core.client;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ArchivePage;
import org.clusterbackup.core.protocol.AuditEntry;
import org.clusterbackup.core.protocol.AuditPage;
import org.clusterbackup.core.protocol.AuditRequest;
import org.clusterbackup.core.protocol.BackupsRequest;
import org.clusterbackup.core.protocol.ChangePage;
import org.clusterbackup.core.protocol.ChangesRequest;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.ExecutionPage;
import org.clusterbackup.core.protocol.ExecutionReply;
import org.clusterbackup.core.protocol.FetchRequest;
import org.clusterbackup.core.protocol.FileFetchRequest;
import org.clusterbackup.core.protocol.FileInfo;
import org.clusterbackup.core.protocol.FilePage;
import org.clusterbackup.core.protocol.FilesRequest;
import org.clusterbackup.core.protocol.ListRequest;
import org.clusterbackup.core.protocol.LogRequest;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.RegisterRequest;
import org.clusterbackup.core.protocol.RestoreReply;
import org.clusterbackup.core.protocol.RestoreRequest;
import org.clusterbackup.core.protocol.RunRequest;
import org.clusterbackup.core.protocol.ServerInfo;
import org.clusterbackup.core.protocol.ServerPage;
import org.clusterbackup.core.protocol.ServersRequest;
import org.clusterbackup.core.protocol.TargetChangePage;
import org.clusterbackup.core.protocol.TargetChangesRequest;
import org.clusterbackup.core.protocol.TargetCursor;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.protocol.TargetPage;
import org.clusterbackup.core.protocol.TargetReply;
import org.clusterbackup.core.protocol.TokenCreateRequest;
import org.clusterbackup.core.protocol.TokenCreated;
import org.clusterbackup.core.protocol.TokenInfo;
import org.clusterbackup.core.protocol.TokenListRequest;
import org.clusterbackup.core.protocol.TokenPage;
import org.clusterbackup.core.protocol.TokenRevokeRequest;
import org.clusterbackup.core.protocol.TokenRevoked;
import org.clusterbackup.core.protocol.TrustReply;
import org.clusterbackup.core.protocol.TrustRequest;
import org.clusterbackup.core.protocol.UnregisterRequest;
import org.clusterbackup.core.protocol.VerifyPage;
import org.clusterbackup.core.protocol.VerifyRequest;
import org.clusterbackup.core.protocol.VerifyResult;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.security.PeerCheck;
import org.clusterbackup.core.security.PeerIdentityException;
import org.clusterbackup.core.security.Tls;

/**
 * The typed control-plane API that {@code backupctl} and the console use. Each call is one short
 * connection: clients are occasional, and a fresh connection never carries a stale state.
 *
 * <p>Failures: {@link RemoteErrorException} when the server refused the request (its code says why),
 * {@link UnreachableException} when it could not be reached or the conversation broke.
 */
public final class BackupClient {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    private final HostPort server;
    private final String role;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final PeerCheck serverCheck;
    private final TokenSource tokens;

    /** Where a client's token comes from, read each time it dials (a file may change between calls). */
    @FunctionalInterface
    public interface TokenSource {
        /** @return the token, or null for none */
        String token() throws IOException;
    }

    /**
     * A client that trusts no server identity yet: give it one with {@link #withServerFingerprint} or
     * {@link #withServerCheck}, and a token with {@link #withToken}.
     */
    public BackupClient(HostPort server, String role, Duration connectTimeout, Duration readTimeout) {
        this(server, role, connectTimeout, readTimeout, null, null);
    }

    private BackupClient(
            HostPort server,
            String role,
            Duration connectTimeout,
            Duration readTimeout,
            PeerCheck serverCheck,
            TokenSource tokens) {
        this.server = Objects.requireNonNull(server, "server");
        this.role = Objects.requireNonNull(role, "role");
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.serverCheck = serverCheck != null
                ? serverCheck
                : presented -> {
                    throw new UnknownServerException.Marker(server, presented);
                };
        this.tokens = tokens == null ? () -> null : tokens;
    }

    /** This client, judging the server's identity with {@code check} (known servers, a prompt). */
    public BackupClient withServerCheck(PeerCheck check) {
        return new BackupClient(
                server, role, connectTimeout, readTimeout, Objects.requireNonNull(check, "check"), tokens);
    }

    /** This client, trusting exactly the server identity {@code expected}. */
    public BackupClient withServerFingerprint(Fingerprint expected) {
        Objects.requireNonNull(expected, "expected");
        return withServerCheck(presented -> {
            if (!presented.equals(expected)) {
                throw new PeerIdentityException(
                        "the server " + server + " presented identity " + presented + ", not the expected " + expected
                                + ": refused (a changed key, or someone in between)",
                        presented);
            }
        });
    }

    /** This client, presenting {@code bearer} (an operator token) to the server. */
    public BackupClient withToken(String bearer) {
        return withTokens(() -> bearer);
    }

    /** This client, presenting the token {@code source} gives each time it dials. */
    public BackupClient withTokens(TokenSource source) {
        return new BackupClient(
                server, role, connectTimeout, readTimeout, serverCheck, Objects.requireNonNull(source, "source"));
    }

    public static BackupClient of(HostPort server, String role) {
        return new BackupClient(server, role, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    public HostPort server() {
        return server;
    }

    public TargetInfo register(String node, int port, String path, long everySeconds) throws IOException {
        return call(c -> {
            c.send(new RegisterRequest(node, port, path, everySeconds));
            return c.expect(TargetReply.class).target();
        });
    }

    /** Registers the target and pins its agent's identity ({@code null}: pinned at the first contact). */
    public TargetInfo register(String node, int port, String path, long everySeconds, String agentFingerprint)
            throws IOException {
        return call(c -> {
            c.send(new RegisterRequest(node, port, path, everySeconds, agentFingerprint));
            return c.expect(TargetReply.class).target();
        });
    }

    /** Replaces the pinned identity of the agent at node:port (admin). */
    public TrustReply trust(String node, int port, String fingerprint) throws IOException {
        return call(c -> {
            c.send(new TrustRequest(node, port, fingerprint));
            return c.expect(TrustReply.class);
        });
    }

    /** Creates a token (admin); the reply is the only place its value ever appears. */
    public TokenCreated createToken(String name, String role) throws IOException {
        return call(c -> {
            c.send(new TokenCreateRequest(name, role));
            return c.expect(TokenCreated.class);
        });
    }

    /** Active tokens, without their values (admin). */
    public List<TokenInfo> tokens() throws IOException {
        return call(c -> {
            c.send(new TokenListRequest());
            return Pages.collect(c, TokenPage.class, TokenPage::items, TokenPage::last);
        });
    }

    public TokenRevoked revokeToken(String name) throws IOException {
        return call(c -> {
            c.send(new TokenRevokeRequest(name));
            return c.expect(TokenRevoked.class);
        });
    }

    /** The newest audit entries, newest first; {@code limit} 0 for all. */
    public List<AuditEntry> audit(int limit) throws IOException {
        return call(c -> {
            c.send(new AuditRequest(limit));
            return Pages.collect(c, AuditPage.class, AuditPage::items, AuditPage::last);
        });
    }

    public TargetInfo unregister(TargetSelector target) throws IOException {
        return call(c -> {
            c.send(new UnregisterRequest(target));
            return c.expect(TargetReply.class).target();
        });
    }

    /** Active targets, ordered by id. */
    public List<TargetInfo> list() throws IOException {
        List<TargetInfo> all = new java.util.ArrayList<>();
        list(all::add);
        return all;
    }

    /** Active targets, ordered by id, each handed to {@code sink} as its page arrives. */
    public void list(ItemSink<? super TargetInfo> sink) throws IOException {
        call(c -> {
            c.send(new ListRequest());
            Pages.forEach(c, TargetPage.class, TargetPage::items, TargetPage::last, sink);
            return null;
        });
    }

    /** The live servers of the cluster the server belongs to (itself alone when it is on its own catalog). */
    public List<ServerInfo> servers() throws IOException {
        return call(c -> {
            c.send(new ServersRequest());
            return Pages.collect(c, ServerPage.class, ServerPage::items, ServerPage::last);
        });
    }

    /**
     * The targets changed since {@code since} ({@code null}: every active target, as a reset), with the
     * cursor to send next time; {@code recheck} names targets to answer afresh whether or not they changed.
     */
    public TargetChanges targetChanges(TargetCursor since, List<Long> recheck) throws IOException {
        return call(c -> {
            c.send(new TargetChangesRequest(since, recheck));
            List<TargetInfo> changed = new java.util.ArrayList<>();
            List<Long> removed = new java.util.ArrayList<>();
            TargetChangePage page;
            do {
                page = c.expect(TargetChangePage.class);
                changed.addAll(page.items());
                removed.addAll(page.removed());
            } while (!page.last());
            return new TargetChanges(page.reset(), changed, removed, page.cursor());
        });
    }

    /** Every archive the target ever stored, newest first. */
    public List<ArchiveInfo> backups(TargetSelector target) throws IOException {
        List<ArchiveInfo> all = new java.util.ArrayList<>();
        backups(target, all::add);
        return all;
    }

    /** Every archive the target ever stored, newest first, each handed to {@code sink} as its page arrives. */
    public void backups(TargetSelector target, ItemSink<? super ArchiveInfo> sink) throws IOException {
        call(c -> {
            c.send(new BackupsRequest(target));
            Pages.forEach(c, ArchivePage.class, ArchivePage::items, ArchivePage::last, sink);
            return null;
        });
    }

    /**
     * Executions, newest first.
     *
     * @param target one target's, or {@code null} for all
     * @param limit at most this many; 0 for all
     */
    public List<ExecutionInfo> log(TargetSelector target, int limit) throws IOException {
        List<ExecutionInfo> all = new java.util.ArrayList<>();
        log(new LogRequest(target, limit), all::add);
        return all;
    }

    /**
     * The executions {@code query} selects (target, start time, outcome, limit), newest first, each handed to
     * {@code sink} as its page arrives: memory stays one page however many there are.
     */
    public void log(LogRequest query, ItemSink<? super ExecutionInfo> sink) throws IOException {
        call(c -> {
            c.send(query);
            Pages.forEach(c, ExecutionPage.class, ExecutionPage::items, ExecutionPage::last, sink);
            return null;
        });
    }

    /**
     * Runs a backup now, or joins the one in progress, and waits for its end however long it takes (the
     * server keeps the connection alive meanwhile). A FAILED run is a normal return; look at its outcome.
     */
    public ExecutionInfo run(TargetSelector target) throws IOException {
        return call(c -> {
            c.send(new RunRequest(target));
            return c.expect(ExecutionReply.class).execution();
        });
    }

    /**
     * Streams a stored archive into {@code out} (not closed) and checks it against the catalog's size and
     * sha256 once it is all there.
     *
     * @throws IntegrityException the bytes differ from what the catalog recorded; discard what was written
     */
    public FetchResult fetch(long archiveId, OutputStream out) throws IOException {
        return call(c -> {
            c.send(new FetchRequest(archiveId));
            return ArchiveReceiver.receive(c, archiveId, "archive " + archiveId, "the catalog", out);
        });
    }

    /**
     * Streams one regular file of an indexed archive into {@code out} (not closed) and checks it against the
     * index's size and sha256 once it is all there.
     *
     * @param path the entry's path as {@link #files} gives it
     * @throws IntegrityException the bytes differ from what the index recorded; discard what was written
     * @throws RemoteErrorException {@code NOT_FOUND} when the path is not a regular file of the archive or
     *         the archive has no usable index; {@code INTEGRITY} when the server found the archive damaged
     */
    public FetchResult fetchFile(long archiveId, String path, OutputStream out) throws IOException {
        return call(c -> {
            c.send(new FileFetchRequest(archiveId, path));
            return ArchiveReceiver.receive(c, archiveId, path + " of archive " + archiveId, "the index", out);
        });
    }

    /** An archive's entries from its index, in archive order. */
    public List<FileInfo> files(long archiveId) throws IOException {
        List<FileInfo> all = new java.util.ArrayList<>();
        files(archiveId, all::add);
        return all;
    }

    /** An archive's entries in archive order, each handed to {@code sink} as its page arrives. */
    public void files(long archiveId, ItemSink<? super FileInfo> sink) throws IOException {
        call(c -> {
            c.send(new FilesRequest(archiveId));
            Pages.forEach(c, FilePage.class, FilePage::items, FilePage::last, sink);
            return null;
        });
    }

    /**
     * What differs between an archive and the archive before it of the same target, from their indexes.
     *
     * @throws RemoteErrorException {@code NOT_FOUND} when there is no earlier kept archive, or either has no
     *         usable index
     */
    public List<ChangePage.Change> changes(long archiveId) throws IOException {
        return call(c -> {
            c.send(new ChangesRequest(archiveId));
            return Pages.collect(c, ChangePage.class, ChangePage::items, ChangePage::last);
        });
    }

    /** Verifies stored archives: one archive, one target's, or all (give exactly one). */
    public List<VerifyResult> verify(Long archiveId, TargetSelector target, boolean all) throws IOException {
        return call(c -> {
            c.send(new VerifyRequest(archiveId, target, all));
            return Pages.collect(c, VerifyPage.class, VerifyPage::items, VerifyPage::last);
        });
    }

    /**
     * Extracts a kept archive on a node's agent and waits until the tree is in place.
     *
     * @param node the node, or null for the archive's own target's node
     * @param port the agent port, or null for the archive's own target's port
     */
    public RestoreReply restore(long archiveId, String node, Integer port, String target) throws IOException {
        return call(c -> {
            c.send(new RestoreRequest(archiveId, node, port, target));
            return c.expect(RestoreReply.class);
        });
    }

    @FunctionalInterface
    interface Exchange<T> {
        T run(BlockingConnection connection) throws IOException;
    }

    <T> T call(Exchange<T> exchange) throws IOException {
        String token = tokens.token();
        try (BlockingConnection c = BlockingConnection.open(
                server.toSocketAddress(),
                role,
                connectTimeout,
                readTimeout,
                ProtocolLimits.DEFAULT,
                Tls.context(null, serverCheck),
                token)) {
            return exchange.run(c);
        } catch (RemoteErrorException | IntegrityException | AccessDeniedException e) {
            throw e;
        } catch (IOException e) {
            Optional<PeerIdentityException> identity = PeerIdentityException.in(e);
            if (identity.isPresent() && identity.get() instanceof UnknownServerException.Marker unknown) {
                throw unknown.toException(e);
            }
            if (identity.isPresent()) {
                throw new AccessDeniedException(identity.get().getMessage(), e);
            }
            throw new UnreachableException(ConnectionFailures.describe(server, e), e);
        }
    }
}
