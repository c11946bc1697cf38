package org.clusterbackup.console.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;
import javafx.application.Platform;
import org.clusterbackup.core.client.ArchiveDownload;
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
import org.clusterbackup.core.protocol.LogRequest;
import org.clusterbackup.core.protocol.TargetCursor;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.protocol.VerifyResult;
import org.clusterbackup.core.security.Fingerprint;

/**
 * {@link ServerGateway} over {@link BackupClient}. Each call first checks that it is not on the FX thread:
 * a network call there would freeze the window, and failing loudly finds such a call in the first test.
 */
final class ClientGateway implements ServerGateway {
    private final BackupClient client;
    private final OperatorAccess access;

    ClientGateway(BackupClient client, OperatorAccess access) {
        this.client = client;
        this.access = access;
    }

    /** A small file write, allowed on the FX thread: the dialog that asked is there. */
    @Override
    public void pinServer(HostPort server, Fingerprint identity) throws IOException {
        access.accept(server, identity);
    }

    @Override
    public List<TargetInfo> list() throws IOException {
        offFxThread();
        return client.list();
    }

    @Override
    public TargetChanges targetChanges(TargetCursor since, List<Long> recheck) throws IOException {
        offFxThread();
        return client.targetChanges(since, recheck);
    }

    @Override
    public List<ExecutionInfo> logPage(TargetSelector target, int limit, Long beforeId) throws IOException {
        offFxThread();
        List<ExecutionInfo> page = new java.util.ArrayList<>();
        client.log(new LogRequest(target, limit, null, null, null, beforeId), page::add);
        return page;
    }

    @Override
    public List<ArchiveInfo> backups(TargetSelector target) throws IOException {
        offFxThread();
        return client.backups(target);
    }

    @Override
    public List<ExecutionInfo> log(TargetSelector target, int limit) throws IOException {
        offFxThread();
        return client.log(target, limit);
    }

    @Override
    public TargetInfo register(String node, int port, String path, long everySeconds) throws IOException {
        offFxThread();
        return client.register(node, port, path, everySeconds);
    }

    @Override
    public TargetInfo unregister(TargetSelector target) throws IOException {
        offFxThread();
        return client.unregister(target);
    }

    @Override
    public ExecutionInfo run(TargetSelector target) throws IOException {
        offFxThread();
        return client.run(target);
    }

    @Override
    public FetchResult download(long archiveId, Path file, LongConsumer progress) throws IOException {
        offFxThread();
        return ArchiveDownload.toFile(client, archiveId, file, progress);
    }

    @Override
    public List<FileInfo> files(long archiveId) throws IOException {
        offFxThread();
        return client.files(archiveId);
    }

    @Override
    public List<ChangePage.Change> changes(long archiveId) throws IOException {
        offFxThread();
        return client.changes(archiveId);
    }

    @Override
    public FetchResult downloadFile(long archiveId, String path, Path file, LongConsumer progress) throws IOException {
        offFxThread();
        return ArchiveDownload.fileToFile(client, archiveId, path, file, progress);
    }

    @Override
    public List<VerifyResult> verifyTarget(TargetSelector target) throws IOException {
        offFxThread();
        return client.verify(null, target, false);
    }

    @Override
    public List<VerifyResult> verifyArchive(long archiveId) throws IOException {
        offFxThread();
        return client.verify(archiveId, null, false);
    }

    private void offFxThread() {
        if (Platform.isFxApplicationThread()) {
            throw new IllegalStateException("network call to the server " + client.server() + " on the FX thread");
        }
    }

    @Override
    public String toString() {
        return "server " + client.server();
    }
}
