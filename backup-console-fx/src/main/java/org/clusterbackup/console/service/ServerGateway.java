package org.clusterbackup.console.service;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.protocol.TargetSelector;

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

    /** Every archive of the target, newest first, pruned ones included. */
    List<ArchiveInfo> backups(TargetSelector target) throws IOException;

    /** Executions, newest first: one target's, or all when {@code target} is null. */
    List<ExecutionInfo> log(TargetSelector target, int limit) throws IOException;

    TargetInfo register(String node, int port, String path, long everySeconds) throws IOException;

    TargetInfo unregister(TargetSelector target) throws IOException;

    /** Runs the target now (or joins its run in progress) and waits for the end. */
    ExecutionInfo run(TargetSelector target) throws IOException;

    /** The gateway to a real server, over the core client. */
    static ServerGateway connect(HostPort server) {
        return new ClientGateway(new BackupClient(server, ROLE, CONNECT_TIMEOUT, BackupClient.DEFAULT_READ_TIMEOUT));
    }
}
