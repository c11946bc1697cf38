package org.clusterbackup.core.agent;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import org.clusterbackup.core.archive.ArchiveSummary;
import org.clusterbackup.core.archive.DeliveredManifests;
import org.clusterbackup.core.archive.SignatureRecorder;
import org.clusterbackup.core.archive.SignatureStore;
import org.clusterbackup.core.archive.StatCache;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.archive.TreeScan;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Unchanged;

/**
 * One backup of a root the agent may back up, under its lock: load the root's state, scan with the stat cache,
 * answer {@code Unchanged} or stream a delta or the archive, then keep what was sent (manifest, block
 * signatures) and, last, the stat cache.
 */
final class BackupRun {
    private static final System.Logger LOG = System.getLogger(BackupRun.class.getName());

    private final Connection connection;
    private final AgentSettings settings;
    private final TreeArchiver archiver;

    BackupRun(Connection connection, AgentSettings settings, TreeArchiver archiver) {
        this.connection = connection;
        this.settings = settings;
        this.archiver = archiver;
    }

    void archive(BackupRequest request, Path root, int level) throws IOException {
        long started = System.nanoTime();
        // Loaded while the scan walks the tree; the scan waits for it only once it is walked.
        try (RunState state = RunState.load(settings.stateDir(), root, request)) {
            scanAndSend(request, root, level, started, state);
        }
    }

    private void scanAndSend(BackupRequest request, Path root, int level, long started, RunState state)
            throws IOException {
        TreeScan scan;
        try {
            ScanReporter reporter =
                    new ScanReporter(connection, settings.archive().clock());
            // With no base digest the server has no archive of this tree: nothing to compare, so nothing is
            // hashed twice (scanWithoutBase); else compared with the delivered manifest of that digest, if any.
            scan = archiver.scan(root, reporter, request.baseDigest() != null, state::scanState);
        } catch (IOException e) {
            if (!connection.isOpen()) {
                throw e; // the server went away mid-scan; nobody to tell
            }
            connection.send(new ErrorReply(ErrorCode.FAILED, "cannot scan " + request.path() + ": " + e.getMessage()));
            return;
        }
        try {
            reply(request, root, level, started, state, scan);
        } finally {
            // The reply's last frame is with the connection: the cache's rewrite and fsync delay no answer.
            settings.archive().hooks().beforeStatCacheSave(root);
            state.cache().saveQuietly();
        }
    }

    /** Answers a scanned tree: Unchanged, a delta or a full archive, or an error if sending it fails. */
    private void reply(BackupRequest request, Path root, int level, long started, RunState state, TreeScan scan)
            throws IOException {
        if (scan.digest().equals(request.baseDigest())) {
            connection.send(new Unchanged(scan.digest()));
            LOG.log(
                    Level.INFO,
                    "[conn {0}] {1} unchanged ({2} files, scanned in {3} ms)",
                    connection.id(),
                    root,
                    scan.files(),
                    (System.nanoTime() - started) / 1_000_000);
            return;
        }
        // A tree that is nearly all new goes whole: as a delta it would cost the server a second deflate of it.
        Optional<DeliveredManifests.Manifest> base = DeltaWorth.choose(request, state.offered(), scan);
        ArchiveSummary summary;
        String kind;
        try (SignatureStore kept = SignatureStore.load(settings.stateDir(), root);
                SignatureRecorder signatures = recorder(kept, root)) {
            try {
                if (base.isPresent()) {
                    boolean blocks = request.blocksAccepted();
                    kind = blocks ? "block delta" : "delta";
                    summary = DeltaSender.send(
                            connection,
                            archiver,
                            scan,
                            state.cache(),
                            base.get(),
                            level,
                            blocks ? kept : null,
                            signatures,
                            state.prepared());
                } else {
                    kind = "archived";
                    summary = sendFull(scan, state.cache(), level, signatures);
                }
            } catch (IOException e) {
                if (!connection.isOpen()) {
                    throw e; // the server went away; nobody to tell
                }
                // The stream cannot be resumed; the server discards what it got and logs this line.
                connection.send(
                        new ErrorReply(ErrorCode.FAILED, "archiving " + request.path() + " failed: " + e.getMessage()));
                return;
            }
            remember(state.delivered(), summary, root);
            if (signatures != null) {
                keepSignatures(kept, signatures, summary, root);
            }
        }
        LOG.log(
                Level.INFO,
                "[conn {0}] {1} {2}: {3} files, {4} warnings in {5} ms",
                connection.id(),
                root,
                kind,
                summary.files(),
                summary.warnings().size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private ArchiveSummary sendFull(TreeScan scan, StatCache cache, int level, SignatureRecorder signatures)
            throws IOException {
        connection.send(new ArchiveBegin(scan.files()));
        DataFrameSink out = new DataFrameSink(connection);
        ArchiveSummary summary = archiver.write(scan, cache, out, level, signatures);
        connection.send(new ArchiveEnd(
                out.size(), out.sha256(), summary.digest(), summary.files(), new ArrayList<>(summary.warnings())));
        return summary;
    }

    /** Where this run's block signatures go; null (with a warning) if the state dir refuses a file. */
    private SignatureRecorder recorder(SignatureStore kept, Path root) {
        try {
            return kept.recorder();
        } catch (IOException e) {
            LOG.log(
                    Level.WARNING,
                    "[conn {0}] no block signatures of {1} this run: {2}",
                    connection.id(),
                    root,
                    e.toString());
            return null;
        }
    }

    /** Keeps the signatures of what was sent, so the next backup can send changed files as block deltas. */
    private void keepSignatures(SignatureStore kept, SignatureRecorder signatures, ArchiveSummary summary, Path root) {
        try {
            kept.commit(summary.entries(), signatures);
        } catch (IOException e) {
            // Only a saving is lost: the next backup sends changed files whole.
            LOG.log(
                    Level.WARNING,
                    "[conn {0}] cannot keep the block signatures of {1}: {2}",
                    connection.id(),
                    root,
                    e.toString());
        }
    }

    /** Keeps the manifest of what was sent, so the next backup can be a delta against it. */
    private void remember(DeliveredManifests delivered, ArchiveSummary summary, Path root) {
        try {
            delivered.delivered(new DeliveredManifests.Manifest(summary.digest(), summary.entries()));
        } catch (IOException e) {
            // Only a saving is lost: the next backup of this root is sent whole.
            LOG.log(
                    Level.WARNING,
                    "[conn {0}] cannot keep the manifest of {1}: {2}",
                    connection.id(),
                    root,
                    e.toString());
        }
    }
}
