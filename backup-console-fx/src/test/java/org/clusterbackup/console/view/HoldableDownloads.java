package org.clusterbackup.console.view;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.client.FetchResult;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.FileInfo;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.protocol.VerifyResult;

/**
 * The real gateway, with downloads that can be held half-way: on loopback an archive arrives faster than a
 * test can look at the progress bar.
 */
final class HoldableDownloads implements ServerGateway {
    private final ServerGateway real;
    private volatile CountDownLatch hold;
    private volatile long holdAfter;

    HoldableDownloads(ServerGateway real) {
        this.real = real;
    }

    /** Downloads stop once they received {@code bytes}, until {@link #release()}. */
    void holdAfter(long bytes) {
        holdAfter = bytes;
        hold = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch h = hold;
        hold = null;
        if (h != null) {
            h.countDown();
        }
    }

    @Override
    public FetchResult download(long archiveId, Path file, LongConsumer progress) throws IOException {
        return real.download(archiveId, file, holding(progress));
    }

    @Override
    public FetchResult downloadFile(long archiveId, String path, Path file, LongConsumer progress) throws IOException {
        return real.downloadFile(archiveId, path, file, holding(progress));
    }

    private LongConsumer holding(LongConsumer progress) {
        return bytes -> {
            progress.accept(bytes);
            CountDownLatch h = hold;
            if (h != null && bytes >= holdAfter) {
                try {
                    h.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    @Override
    public List<FileInfo> files(long archiveId) throws IOException {
        return real.files(archiveId);
    }

    @Override
    public List<org.clusterbackup.core.protocol.ChangePage.Change> changes(long archiveId) throws IOException {
        return real.changes(archiveId);
    }

    @Override
    public List<TargetInfo> list() throws IOException {
        return real.list();
    }

    @Override
    public List<ArchiveInfo> backups(TargetSelector target) throws IOException {
        return real.backups(target);
    }

    @Override
    public List<ExecutionInfo> log(TargetSelector target, int limit) throws IOException {
        return real.log(target, limit);
    }

    @Override
    public org.clusterbackup.core.client.TargetChanges targetChanges(
            org.clusterbackup.core.protocol.TargetCursor since, List<Long> recheck) throws IOException {
        return real.targetChanges(since, recheck);
    }

    @Override
    public List<ExecutionInfo> logPage(TargetSelector target, int limit, Long beforeId) throws IOException {
        return real.logPage(target, limit, beforeId);
    }

    @Override
    public TargetInfo register(String node, int port, String path, long everySeconds) throws IOException {
        return real.register(node, port, path, everySeconds);
    }

    @Override
    public TargetInfo unregister(TargetSelector target) throws IOException {
        return real.unregister(target);
    }

    @Override
    public ExecutionInfo run(TargetSelector target) throws IOException {
        return real.run(target);
    }

    @Override
    public List<VerifyResult> verifyTarget(TargetSelector target) throws IOException {
        return real.verifyTarget(target);
    }

    @Override
    public List<VerifyResult> verifyArchive(long archiveId) throws IOException {
        return real.verifyArchive(archiveId);
    }
}
