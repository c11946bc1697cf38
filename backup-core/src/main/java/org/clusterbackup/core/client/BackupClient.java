package org.clusterbackup.core.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.FetchRequest;
import org.clusterbackup.core.protocol.FileFetchRequest;
import org.clusterbackup.core.protocol.FileInfo;
import org.clusterbackup.core.protocol.FilePage;
import org.clusterbackup.core.protocol.FilesRequest;
import org.clusterbackup.core.protocol.ChangePage;
import org.clusterbackup.core.protocol.ChangesRequest;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.RestoreReply;
import org.clusterbackup.core.protocol.RestoreRequest;
import org.clusterbackup.core.protocol.VerifyPage;
import org.clusterbackup.core.protocol.VerifyRequest;
import org.clusterbackup.core.protocol.VerifyResult;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ArchivePage;
import org.clusterbackup.core.protocol.BackupsRequest;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.ExecutionPage;
import org.clusterbackup.core.protocol.ExecutionReply;
import org.clusterbackup.core.protocol.ListRequest;
import org.clusterbackup.core.protocol.LogRequest;
import org.clusterbackup.core.protocol.RunRequest;
import org.clusterbackup.core.protocol.ProtocolException;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.RegisterRequest;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.protocol.TargetPage;
import org.clusterbackup.core.protocol.TargetReply;
import org.clusterbackup.core.protocol.TargetSelector;
import org.clusterbackup.core.protocol.UnregisterRequest;

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

    public BackupClient(HostPort server, String role, Duration connectTimeout, Duration readTimeout) {
        this.server = Objects.requireNonNull(server, "server");
        this.role = Objects.requireNonNull(role, "role");
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
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

    public TargetInfo unregister(TargetSelector target) throws IOException {
        return call(c -> {
            c.send(new UnregisterRequest(target));
            return c.expect(TargetReply.class).target();
        });
    }

    /** Active targets, ordered by id. */
    public List<TargetInfo> list() throws IOException {
        return call(c -> {
            c.send(new ListRequest());
            List<TargetInfo> all = new ArrayList<>();
            TargetPage page;
            do {
                page = c.expect(TargetPage.class);
                all.addAll(page.items());
            } while (!page.last());
            return all;
        });
    }

    /** Every archive the target ever stored, newest first. */
    public List<ArchiveInfo> backups(TargetSelector target) throws IOException {
        return call(c -> {
            c.send(new BackupsRequest(target));
            List<ArchiveInfo> all = new ArrayList<>();
            ArchivePage page;
            do {
                page = c.expect(ArchivePage.class);
                all.addAll(page.items());
            } while (!page.last());
            return all;
        });
    }

    /**
     * Executions, newest first.
     *
     * @param target one target's, or {@code null} for all
     * @param limit at most this many; 0 for all
     */
    public List<ExecutionInfo> log(TargetSelector target, int limit) throws IOException {
        return call(c -> {
            c.send(new LogRequest(target, limit));
            List<ExecutionInfo> all = new ArrayList<>();
            ExecutionPage page;
            do {
                page = c.expect(ExecutionPage.class);
                all.addAll(page.items());
            } while (!page.last());
            return all;
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
            return receive(c, archiveId, "archive " + archiveId, "the catalog", out);
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
            return receive(c, archiveId, path + " of archive " + archiveId, "the index", out);
        });
    }

    /** An archive's entries from its index, in archive order. */
    public List<FileInfo> files(long archiveId) throws IOException {
        return call(c -> {
            c.send(new FilesRequest(archiveId));
            List<FileInfo> all = new ArrayList<>();
            FilePage page;
            do {
                page = c.expect(FilePage.class);
                all.addAll(page.items());
            } while (!page.last());
            return all;
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
            List<ChangePage.Change> all = new ArrayList<>();
            ChangePage page;
            do {
                page = c.expect(ChangePage.class);
                all.addAll(page.items());
            } while (!page.last());
            return all;
        });
    }

    /** Receives ArchiveBegin, Data frames and ArchiveEnd, writing the bytes and checking them at the end. */
    private static FetchResult receive(BlockingConnection c, long archiveId, String what, String truth,
                                       OutputStream out) throws IOException {
        c.expect(ArchiveBegin.class);
        MessageDigest sha256 = sha256();
        long size = 0;
        while (true) {
            Message m = c.receive();
            if (m instanceof Data d) {
                out.write(d.bytes());
                sha256.update(d.bytes());
                size += d.bytes().length;
            } else if (m instanceof ArchiveEnd end) {
                String actual = HexFormat.of().formatHex(sha256.digest());
                if (size != end.size() || !actual.equals(end.sha256())) {
                    throw new IntegrityException(what + " arrived as " + size + " bytes with sha256 " + actual
                            + "; " + truth + " says " + end.size() + " bytes with sha256 " + end.sha256());
                }
                return new FetchResult(archiveId, size, actual);
            } else if (m instanceof ErrorReply error) {
                throw new RemoteErrorException(error);
            } else {
                throw new ProtocolException("the server sent " + m.getClass().getSimpleName() + " in an archive stream");
            }
        }
    }

    /** Verifies stored archives: one archive, one target's, or all (give exactly one). */
    public List<VerifyResult> verify(Long archiveId, TargetSelector target, boolean all) throws IOException {
        return call(c -> {
            c.send(new VerifyRequest(archiveId, target, all));
            List<VerifyResult> results = new ArrayList<>();
            VerifyPage page;
            do {
                page = c.expect(VerifyPage.class);
                results.addAll(page.items());
            } while (!page.last());
            return results;
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @FunctionalInterface
    interface Exchange<T> {
        T run(BlockingConnection connection) throws IOException;
    }

    <T> T call(Exchange<T> exchange) throws IOException {
        try (BlockingConnection c = BlockingConnection.open(server.toSocketAddress(), role, connectTimeout,
                readTimeout, ProtocolLimits.DEFAULT)) {
            return exchange.run(c);
        } catch (RemoteErrorException | IntegrityException e) {
            throw e;
        } catch (IOException e) {
            throw new UnreachableException(describe(e), e);
        }
    }

    /** One line that says what went wrong talking to the server, without a Java class name where avoidable. */
    String describe(IOException e) {
        String where = "server " + server;
        if (e instanceof ConnectException) {
            return "cannot reach the " + where + ": connection refused (is backup-server running there?)";
        }
        if (e instanceof UnknownHostException) {
            return "cannot reach the " + where + ": unknown host";
        }
        if (e instanceof NoRouteToHostException) {
            return "cannot reach the " + where + ": no route to host";
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer from the " + where + ": " + e.getMessage();
        }
        if (e instanceof EOFException) {
            return "the " + where + " closed the connection: " + e.getMessage();
        }
        if (e instanceof ProtocolException) {
            return "protocol error talking to the " + where + ": " + e.getMessage();
        }
        return "lost the connection to the " + where + ": " + e.getMessage();
    }

}
