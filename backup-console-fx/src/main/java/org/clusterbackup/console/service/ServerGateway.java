package org.clusterbackup.console.service;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.client.FetchResult;
import org.clusterbackup.core.client.OperatorAccess;
import org.clusterbackup.core.client.TargetChanges;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ChangePage;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.FileInfo;
import org.clusterbackup.core.protocol.TargetCursor;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.protocol.VerifyResult;
import org.clusterbackup.core.security.Fingerprint;

/**
 * What the console asks of a backup server. Every method blocks on the network, so the ViewModels call it
 * only through their background executor; the real implementation refuses to run on the FX thread.
 *
 * <p>Failures are the core client's: {@code RemoteErrorException} when the server refused (its code says
 * why, its message is for people), {@code UnreachableException} when it could not be reached.
 */
public interface ServerGateway {
    /** How long to wait for the server to accept a connection: short, so an unreachable server shows soon. */
    Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /** Role the console announces in its {@code Hello}; the server accepts it on the control plane. */
    String ROLE = "console";

    /** Active targets, ordered by id. */
    List<TargetInfo> list() throws IOException;

    /**
     * The targets changed since {@code since} ({@code null}: every active target, as a reset) with the
     * cursor for next time; {@code recheck} names targets to answer afresh whether or not they changed.
     */
    TargetChanges targetChanges(TargetCursor since, List<Long> recheck) throws IOException;

    /** A page of executions, newest first, older than {@code beforeId} ({@code null}: the newest). */
    List<ExecutionInfo> logPage(TargetSelector target, int limit, Long beforeId) throws IOException;

    /** Every archive of the target, newest first, pruned ones included. */
    List<ArchiveInfo> backups(TargetSelector target) throws IOException;

    /** Executions, newest first: one target's, or all when {@code target} is null. */
    List<ExecutionInfo> log(TargetSelector target, int limit) throws IOException;

    TargetInfo register(String node, int port, String path, long everySeconds) throws IOException;

    TargetInfo unregister(TargetSelector target) throws IOException;

    /** Runs the target now (or joins its run in progress) and waits for the end. */
    ExecutionInfo run(TargetSelector target) throws IOException;

    /**
     * Downloads a stored archive into {@code file}, which appears only whole and with the catalog's size and
     * sha256; on any failure nothing is written (core's {@code ArchiveDownload}).
     *
     * @param progress told the bytes received so far, on the calling (background) thread
     * @throws org.clusterbackup.core.client.IntegrityException the archive is damaged
     * @throws org.clusterbackup.core.client.LocalWriteException {@code file} could not be written
     */
    FetchResult download(long archiveId, Path file, LongConsumer progress) throws IOException;

    /**
     * An archive's entries from its index, in archive order.
     *
     * @throws org.clusterbackup.core.net.RemoteErrorException {@code NOT_FOUND} also when the archive has no
     *         usable index (stored before archives were indexed, or its index lost)
     */
    List<FileInfo> files(long archiveId) throws IOException;

    /**
     * What differs between an archive and the one before it of the same target, from their indexes.
     *
     * @throws org.clusterbackup.core.net.RemoteErrorException {@code NOT_FOUND} when there is no earlier kept
     *         archive or either has no usable index
     */
    List<ChangePage.Change> changes(long archiveId) throws IOException;

    /**
     * Downloads one regular file of an archive into {@code file}, as {@link #download} does a whole archive:
     * it appears only whole and with the index's size and sha256 (core's {@code ArchiveDownload}).
     */
    FetchResult downloadFile(long archiveId, String path, Path file, LongConsumer progress) throws IOException;

    /** Re-reads the target's kept archives on the server; it marks damaged ones corrupt. */
    List<VerifyResult> verifyTarget(TargetSelector target) throws IOException;

    /** Re-reads one archive on the server; empty if retention pruned it meanwhile. */
    List<VerifyResult> verifyArchive(long archiveId) throws IOException;

    /**
     * Pins {@code identity} for {@code server} in the operator's {@code known_servers}, after the user
     * accepted it in a dialog. A gateway without pins of its own cannot.
     */
    default void pinServer(HostPort server, Fingerprint identity) throws IOException {
        throw new IOException("this connection keeps no known_servers: pass --server-fingerprint " + identity);
    }

    /**
     * The gateway to a real server, over the core client, with the operator's pins and token from the
     * environment alone (no flags).
     */
    static ServerGateway connect(HostPort server) {
        return connect(server, new OperatorAccess(System.getenv(), null, null));
    }

    /** The gateway to a real server, checking its identity and presenting a token as {@code access} says. */
    static ServerGateway connect(HostPort server, OperatorAccess access) {
        return new ClientGateway(
                access.apply(new BackupClient(server, ROLE, CONNECT_TIMEOUT, BackupClient.DEFAULT_READ_TIMEOUT)),
                access);
    }
}
