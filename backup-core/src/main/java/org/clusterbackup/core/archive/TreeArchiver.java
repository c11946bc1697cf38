package org.clusterbackup.core.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.clusterbackup.core.concurrent.DaemonThreads;
import org.clusterbackup.core.delta.BlockStreamWriter;

/**
 * The agent's side of a backup: {@link #scan} a tree to learn its digest (cheaply, with the {@link StatCache}),
 * and if the server does not already have that digest, {@link #write} the tree as a deterministic
 * {@code .tar.gz}, streamed.
 *
 * <p>What is kept: regular files, directories (empty ones too, and the root itself as {@code ./} so its mode
 * is restored), symlinks as links, never followed. Fifos, sockets and devices are skipped with a warning, as
 * is anything that cannot be read or vanishes; a scan or write fails only when the root itself cannot be
 * read or the output stream fails. Names are relative to the root, sorted by their UTF-8 bytes.
 *
 * <p>Files are read by the hot-file protocol (see {@link FileCopier}): the archive is always valid, and what
 * {@link #write} reports (digest, files, warnings) describes the bytes it actually archived, which can differ
 * from the scan when the tree changes in between. Both steps update the stat cache, only with files that did
 * not move while being read and whose timestamps are old enough to trust, and save it at their end, unless the
 * cache is {@link StatCache#savedByCaller() saved by its caller}.
 *
 * <p>Archives are segmented (see {@link SegmentRule}); segments are compressed by a pool of
 * {@link ArchiveOptions#threads()} daemon threads that this archiver shares between its writes. The threads
 * start with the first write and stop after a while without work, or at {@link #close()}. All writes share
 * one {@link InFlightBudget}, which bounds the memory of concurrent backups together.
 *
 * <p>Thread-safe if the options' opener, clock and hooks are: each call uses its own buffers. Two calls must
 * not share one {@link StatCache}.
 */
public final class TreeArchiver implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TreeArchiver.class.getName());
    /** Segments compressing or waiting to be sent, per write and compressing thread. */
    static final int WINDOW_PER_THREAD = 2;

    private static final long IDLE_THREAD_SECONDS = 30;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ArchiveOptions options;
    private final InFlightBudget budget;
    private ThreadPoolExecutor pool; // guarded by this
    private boolean closed; // guarded by this

    public TreeArchiver(ArchiveOptions options) {
        this(options, new InFlightBudget(InFlightBudget.DEFAULT_BYTES));
    }

    /** With a given memory budget (tests make it small). */
    TreeArchiver(ArchiveOptions options, InFlightBudget budget) {
        this.options = Objects.requireNonNull(options, "options");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /**
     * Scans {@code root} (an existing directory; the caller already checked that it may be backed up),
     * hashing only the files whose stat {@code cache} cannot vouch for, on {@link ArchiveOptions#threads()}
     * threads (the result does not depend on how many).
     *
     * @throws IOException if the root itself cannot be stat-ed or listed, or is not a directory
     */
    public TreeScan scan(Path root, StatCache cache) throws IOException {
        return scan(root, cache, ScanListener.NONE);
    }

    /** Scans as {@link #scan(Path, StatCache)} does, telling {@code listener} how far it got as it goes. */
    public TreeScan scan(Path root, StatCache cache, ScanListener listener) throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(cache, "cache");
        return scan(root, listener, true, () -> new ScanState(cache, null, null));
    }

    /**
     * Scans as {@link #scan(Path, StatCache, ScanListener)} does for a backup whose digest nothing will be
     * compared with (the server holds no archive of the tree, so it is sent whole): no file is read. A file the
     * cache cannot vouch for is left {@link TreeScan#UNHASHED}, and the {@link #write} that follows hashes it
     * as it reads it, so each file is read once. The scan's digest then describes no tree; the write's does,
     * and the archive, its digest, the stat cache and the warnings are those of a scan that hashed.
     */
    public TreeScan scanWithoutBase(Path root, StatCache cache, ScanListener listener) throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(cache, "cache");
        return scan(root, listener, false, () -> new ScanState(cache, null, null));
    }

    /**
     * Scans as {@link #scan(Path, StatCache, ScanListener)} does, but compared with {@code delivered}, the
     * manifest of an archive this agent delivered: a file whose size differs from its entry there is not
     * hashed (see {@link TreeScan}), since the tree cannot be that archive's anyway (the size is in the
     * digest), and the write that follows reads it. So a file that grew or shrank is read once, not twice.
     */
    public TreeScan scan(Path root, StatCache cache, ScanListener listener, DeliveredManifests.Manifest delivered)
            throws IOException {
        return scan(root, cache, listener, delivered, null);
    }

    /**
     * Scans as {@link #scan(Path, StatCache, ScanListener, DeliveredManifests.Manifest)} does, for a block-delta
     * run against {@code delivered}: a big file whose size did not change, and which the scan must therefore
     * hash, is matched against its base version's kept signature in the same read, into {@code prepared} (if
     * not null), so that {@link #writeBlockDelta(TreeScan, StatCache, DeliveredManifests.Manifest,
     * BlockStreamWriter, Set, SignatureStore, SignatureRecorder, PreparedDeltas)} need not read it again.
     */
    public TreeScan scan(
            Path root,
            StatCache cache,
            ScanListener listener,
            DeliveredManifests.Manifest delivered,
            PreparedDeltas prepared)
            throws IOException {
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(delivered, "delivered");
        return scan(root, listener, true, () -> new ScanState(cache, delivered, prepared));
    }

    /**
     * Scans as the other scans do, asking {@code state} for the tree's stat cache, the manifest it is compared
     * with and where block deltas go only once the tree is walked, so that the caller can load them meanwhile.
     * An exception {@code state} throws fails the scan, before any failure of the walk.
     *
     * @param compared false for a scan as {@link #scanWithoutBase} does it (the state's manifest and prepared
     *     deltas are then not used), true for one as {@link #scan(Path, StatCache, ScanListener,
     *     DeliveredManifests.Manifest, PreparedDeltas)} does it (a null manifest: compared with none)
     */
    public TreeScan scan(Path root, ScanListener listener, boolean compared, Supplier<ScanState> state)
            throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(state, "state");
        Supplier<ScanState> used = compared
                ? state
                : () -> {
                    ScanState s = state.get();
                    return new ScanState(s.cache(), null, null);
                };
        return new TreeScanner(
                        options, Objects.requireNonNull(listener, "listener"), compared, compared ? hashPool() : null)
                .scan(root, used);
    }

    /**
     * Writes the scanned tree to {@code out} as a deterministic {@code .tar.gz} at the options' level, reading
     * each file anew. The archive is streamed: never whole in memory, no temp file. {@code out} is flushed,
     * not closed.
     *
     * @return what was actually archived
     * @throws IOException only if {@code out} fails; the archive is then incomplete and must be discarded
     */
    public ArchiveSummary write(TreeScan scan, StatCache cache, OutputStream out) throws IOException {
        return write(scan, cache, ArchiveSink.of(out), options.gzipLevel());
    }

    /**
     * Writes the scanned tree to {@code sink} as a deterministic segmented {@code .tar.gz} at {@code level},
     * reading each file anew: the sink gets the header, each segment as soon as it is compressed (in order),
     * and the tail. At most a few segments per compressing thread are held at once.
     *
     * @param level deflate level, 0 to 9
     * @return what was actually archived
     * @throws IOException only if {@code sink} fails; the archive is then incomplete and must be discarded
     */
    public ArchiveSummary write(TreeScan scan, StatCache cache, ArchiveSink sink, int level) throws IOException {
        return write(scan, cache, sink, level, null);
    }

    /**
     * Writes as {@link #write(TreeScan, StatCache, ArchiveSink, int)} does, and gives {@code signatures} (if
     * not null) the block signature of every file it reads, for the next run's block deltas.
     */
    public ArchiveSummary write(
            TreeScan scan, StatCache cache, ArchiveSink sink, int level, SignatureRecorder signatures)
            throws IOException {
        Objects.requireNonNull(scan, "scan");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(sink, "sink");
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("level must be between 0 and 9, was " + level);
        }
        try (TarGzStream tar = new TarGzStream(sink, level, pool(), WINDOW_PER_THREAD * options.threads(), budget)) {
            return writeEntries(
                    scan, cache, tar, null, new HashSet<>(), before -> content(signatures, before, null, null));
        }
    }

    /**
     * Writes, as a plain tar stream to {@code out} (flushed, not closed), only the entries of the scanned tree
     * that are new or differ from {@code base} (content, mode, owner, mtime, link target), each byte for byte as
     * a full archive has it and read by the same hot-file protocol; the rest is known to be in the base archive.
     *
     * @param removed gets the paths ({@link ManifestEntry#path()}) of the base's entries the tree no longer has
     * @return what the new archive holds: digest, files and manifest of the whole tree
     * @throws IOException only if {@code out} fails; the delta is then incomplete and must be discarded
     */
    public ArchiveSummary writeDelta(
            TreeScan scan, StatCache cache, DeliveredManifests.Manifest base, OutputStream out, Set<String> removed)
            throws IOException {
        return writeDelta(scan, cache, base, out, removed, null);
    }

    /**
     * Writes a delta as {@link #writeDelta(TreeScan, StatCache, DeliveredManifests.Manifest, OutputStream, Set)}
     * does, and gives {@code signatures} (if not null) the block signature of every file it reads.
     */
    public ArchiveSummary writeDelta(
            TreeScan scan,
            StatCache cache,
            DeliveredManifests.Manifest base,
            OutputStream out,
            Set<String> removed,
            SignatureRecorder signatures)
            throws IOException {
        Objects.requireNonNull(base, "base");
        try (TarGzStream tar = new TarGzStream(Objects.requireNonNull(out, "out"))) {
            return writeEntries(scan, cache, tar, base, removed, before -> content(signatures, before, null, null));
        }
    }

    /**
     * Writes a block delta to {@code out}: a delta as {@link #writeDelta} writes it, except that a changed file
     * whose base version has a signature in {@code kept} goes as copies of that version and literal bytes
     * (see {@link BlockStreamWriter}); {@code out} is finished, not closed. The file is still read once, by
     * the hot-file protocol, and its new signature given to {@code signatures} (if not null).
     */
    public ArchiveSummary writeBlockDelta(
            TreeScan scan,
            StatCache cache,
            DeliveredManifests.Manifest base,
            BlockStreamWriter out,
            Set<String> removed,
            SignatureStore kept,
            SignatureRecorder signatures)
            throws IOException {
        return writeBlockDelta(scan, cache, base, out, removed, kept, signatures, null);
    }

    /**
     * Writes a block delta as {@link #writeBlockDelta(TreeScan, StatCache, DeliveredManifests.Manifest,
     * BlockStreamWriter, Set, SignatureStore, SignatureRecorder)} does, sending the files {@code prepared} (if
     * not null) holds from there when their stat is still the one the scan read them at.
     */
    public ArchiveSummary writeBlockDelta(
            TreeScan scan,
            StatCache cache,
            DeliveredManifests.Manifest base,
            BlockStreamWriter out,
            Set<String> removed,
            SignatureStore kept,
            SignatureRecorder signatures,
            PreparedDeltas prepared)
            throws IOException {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(kept, "kept");
        try (TarGzStream tar = new TarGzStream(Objects.requireNonNull(out, "out"))) {
            ArchiveSummary summary = writeEntries(
                    scan,
                    cache,
                    tar,
                    base,
                    removed,
                    before -> new FileContent(signatures, before, kept, out, prepared));
            out.finish();
            return summary;
        }
    }

    private static FileContent content(
            SignatureRecorder signatures,
            Map<String, ManifestEntry> before,
            SignatureStore kept,
            BlockStreamWriter blocks) {
        return signatures == null && blocks == null
                ? FileContent.PLAIN
                : new FileContent(signatures, before, kept, blocks);
    }

    private ArchiveSummary writeEntries(
            TreeScan scan,
            StatCache cache,
            TarGzStream tar,
            DeliveredManifests.Manifest base,
            Set<String> removed,
            Function<Map<String, ManifestEntry>, FileContent> contentFor)
            throws IOException {
        Instant start = options.clock().instant();
        long began = System.nanoTime();
        Warnings warnings = new Warnings();
        TreeDigest digest = new TreeDigest();
        List<ManifestEntry> archivedEntries = new ArrayList<>(scan.entries().size());
        Map<String, ManifestEntry> before = new HashMap<>();
        if (base != null) {
            for (ManifestEntry e : base.entries()) {
                before.put(e.path(), e);
            }
        }
        int files = 0;
        Set<String> archivedFiles = new HashSet<>();
        try (FileCopier copier = new FileCopier(options, cache, start, warnings, contentFor.apply(before))) {
            for (ManifestEntry scanned : scan.entries()) {
                // A link whose first name was not archived (it vanished) holds the content itself.
                ManifestEntry entry =
                        scanned.type() == EntryType.HARDLINK && !archivedFiles.contains(scanned.linkTarget())
                                ? asFile(scanned)
                                : scanned;
                ManifestEntry archived = entry;
                if (entry.equals(before.get(entry.path()))) {
                    // The base archive holds exactly this entry: the server takes it from there.
                } else if (entry.type() == EntryType.FILE) {
                    archived = copier.copy(scan.root(), entry, tar);
                    if (archived == null) {
                        continue;
                    }
                } else {
                    archived = copier.putEmpty(scan.root(), entry, tar);
                }
                if (archived.type() == EntryType.FILE) {
                    archivedFiles.add(archived.name());
                }
                if (archived.type() != EntryType.DIRECTORY) {
                    files++;
                }
                digest.add(archived);
                archivedEntries.add(archived);
                before.remove(archived.path());
            }
            tar.finish();
        }
        removed.addAll(before.keySet());
        cache.saveAtEndOfStep();
        List<String> allWarnings = new ArrayList<>(scan.warnings());
        allWarnings.addAll(warnings.lines());
        ArchiveSummary summary = new ArchiveSummary(files, digest.finish(), allWarnings, archivedEntries);
        LOG.log(
                Level.DEBUG,
                "write {0}: {1} files, {2} new warnings, {3} ms",
                scan.root(),
                files,
                warnings.lines().size(),
                Duration.ofNanos(System.nanoTime() - began).toMillis());
        return summary;
    }

    /** A hard link entry as the file it names, to be read as one (its scanned hash is unknown: zeros). */
    private static ManifestEntry asFile(ManifestEntry link) {
        return ManifestEntry.file(link.name(), link.mode(), 0, link.mtime(), link.uid(), link.gid(), "0".repeat(64))
                .withMtimeNanos(link.mtimeNanos());
    }

    /** Stops the compressing threads; writes after this fail. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /**
     * Where a scan hashes files ahead of itself: the compressing threads' pool (a scan and its write never run
     * at once, and neither kind of task waits on another), or none with one thread.
     */
    private synchronized Executor hashPool() throws IOException {
        return options.threads() > 1 && !closed ? pool() : null;
    }

    private synchronized Executor pool() throws IOException {
        if (closed) {
            throw new IOException("the archiver is closed");
        }
        if (pool == null) {
            int n = options.threads();
            String prefix = "deflate-" + POOLS.incrementAndGet() + "-";
            ThreadPoolExecutor p = new ThreadPoolExecutor(
                    n,
                    n,
                    IDLE_THREAD_SECONDS,
                    TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(),
                    DaemonThreads.numbered(prefix));
            p.allowCoreThreadTimeOut(true);
            pool = p;
        }
        return pool;
    }
}
