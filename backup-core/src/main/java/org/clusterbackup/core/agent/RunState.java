package org.clusterbackup.core.agent;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadFactory;
import org.clusterbackup.core.archive.DeliveredManifests;
import org.clusterbackup.core.archive.PreparedDeltas;
import org.clusterbackup.core.archive.ScanState;
import org.clusterbackup.core.archive.StatCache;
import org.clusterbackup.core.concurrent.DaemonThreads;
import org.clusterbackup.core.protocol.BackupRequest;

/**
 * The kept state of one backup's root (stat cache, delivered manifests, and for a block-delta run where the scan
 * puts the deltas it works out), loaded on a thread of its own from the start of the run, so that the load
 * overlaps the scan's walk; the scan asks for it ({@link #scanState()}) once the tree is walked. A load that
 * throws throws the same exception there, on the run's thread, as it did when it came first.
 *
 * <p>Used by the run's thread only; close it to release the prepared deltas.
 */
final class RunState implements AutoCloseable {
    private static final ThreadFactory THREADS = DaemonThreads.numbered("state-load-");

    /** What the load thread reads. */
    private record Loaded(StatCache cache, DeliveredManifests delivered) {}

    private final CompletableFuture<Loaded> loading = new CompletableFuture<>();
    private final Path stateDir;
    private final Path root;
    private final BackupRequest request;
    private Loaded loaded;
    private Optional<DeliveredManifests.Manifest> offered;
    private PreparedDeltas prepared;

    private RunState(Path stateDir, Path root, BackupRequest request) {
        this.stateDir = stateDir;
        this.root = root;
        this.request = request;
    }

    /** Starts loading the state of {@code root}. */
    static RunState load(Path stateDir, Path root, BackupRequest request) {
        RunState state = new RunState(stateDir, root, request);
        THREADS.newThread(state::read).start();
        return state;
    }

    private void read() {
        try {
            // Saved by the run once its reply is sent, not by the scan and the write on the way to it.
            StatCache cache = StatCache.load(stateDir, root).savedByCaller();
            loading.complete(new Loaded(cache, DeliveredManifests.load(stateDir, root)));
        } catch (Throwable e) { // handed to the run's thread, which throws it
            loading.completeExceptionally(e);
        }
    }

    /** What the scan needs, waiting for the load if it is not done. */
    ScanState scanState() {
        loaded();
        return new ScanState(loaded.cache(), offered.orElse(null), prepared);
    }

    StatCache cache() {
        return loaded().cache();
    }

    DeliveredManifests delivered() {
        return loaded().delivered();
    }

    /** The manifest of the request's base digest, if this agent delivered it. */
    Optional<DeliveredManifests.Manifest> offered() {
        loaded();
        return offered;
    }

    /** Where the scan of a block-delta run puts the deltas it works out; null in any other run. */
    PreparedDeltas prepared() {
        loaded();
        return prepared;
    }

    private Loaded loaded() {
        if (loaded == null) {
            Loaded l;
            try {
                l = loading.join();
            } catch (CompletionException e) {
                throw rethrown(e.getCause());
            }
            offered = request.baseDigest() == null
                    ? Optional.empty()
                    : l.delivered().find(request.baseDigest());
            // A block-delta run: the scan works out the deltas of big files it must hash anyway (same size, new
            // stat), so that the write need not read them again.
            boolean blocksRun = offered.isPresent() && request.deltaAccepted() && request.blocksAccepted();
            prepared = blocksRun ? new PreparedDeltas(stateDir, root) : null;
            loaded = l;
        }
        return loaded;
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(cause);
    }

    @Override
    public void close() {
        if (prepared != null) {
            prepared.close();
        }
    }
}
