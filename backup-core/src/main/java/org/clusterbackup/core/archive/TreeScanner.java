package org.clusterbackup.core.archive;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One scan: walks the tree without following symlinks, sorts it, and hashes each regular file whose stat the
 * cache cannot vouch for. A file that moves while it is hashed keeps the hash of what was read (the digest
 * is a best effort for a live tree; the write reports what it really archived) but is not cached.
 *
 * <p>Given a pool, the files it must hash are read and hashed there, a few per thread ahead of the scan
 * ({@link HashAhead}); the scan still acts on each result in its own order, so what it returns does not depend
 * on the number of threads.
 *
 * <p>Not thread-safe: one per scan.
 */
final class TreeScanner {
    private static final System.Logger LOG = System.getLogger(TreeScanner.class.getName());
    private static final HexFormat HEX = HexFormat.of();
    private static final String UNHASHED_HEX = HEX.formatHex(TreeScan.UNHASHED);
    /** Files read ahead of the scan per thread of the pool: enough to keep every thread busy. */
    static final int HASH_AHEAD_PER_THREAD = 4;

    private final ArchiveOptions options;
    private final Warnings warnings = new Warnings();
    private final EntryExtras extras;
    private final ExactReader reader = new ExactReader();
    private int hashed;
    private int reused;
    private final ScanListener listener;
    /** The delivered manifest the tree is compared with, by name; empty if none. Known once walked. */
    private Map<String, ManifestEntry> delivered = Map.of();

    private int deferred;
    private long progress;
    /** Where the block deltas worked out while hashing go, in a block-delta run; else null. Known once walked. */
    private PreparedDeltas prepared;
    /** False when the digest will not be compared with anything: no file is hashed. */
    private final boolean compared;
    /** Where files are hashed ahead of the scan; null: on the scan's thread. */
    private final Executor pool;
    /** The files being hashed ahead in this scan, or null. */
    private HashAhead ahead;

    /**
     * @param compared false when nothing will be compared with the scan's digest (a backup sent whole, with no
     *        archive to compare it with): then no file is read, and every file the cache cannot vouch for is
     *        left {@link TreeScan#UNHASHED} for the write to hash as it reads it
     * @param pool where files are read and hashed ahead of the scan (see {@link HashAhead}), or null to hash
     *        each on the scan's thread as it comes
     */
    TreeScanner(ArchiveOptions options, ScanListener listener, boolean compared, Executor pool) {
        this.compared = compared;
        this.pool = pool;
        this.options = options;
        this.listener = listener;
        this.extras = new EntryExtras(options, warnings);
    }

    /** An entry as the walk found it, before its content is known. */
    private static final class Found {
        final String name;
        final byte[] sortKey;
        final FileStat stat;
        final String linkTarget;

        Found(String name, FileStat stat, String linkTarget) {
            this.name = name;
            this.sortKey = name.getBytes(StandardCharsets.UTF_8);
            this.stat = stat;
            this.linkTarget = linkTarget;
        }
    }

    /**
     * Scans {@code root}, asking {@code state} for the tree's kept state only once the tree is walked and
     * sorted, or when the walk fails (whose failure is then thrown only if the state came: a state that cannot
     * be had fails the scan first, as when it was loaded before it).
     */
    TreeScan scan(Path root, Supplier<ScanState> state) throws IOException {
        Instant start = options.clock().instant();
        long began = System.nanoTime();
        OpenTree opened = null;
        List<Found> found;
        try {
            opened = OpenTree.open(root);
            found = walk(opened);
        } catch (IOException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            var unused = state.get(); // a state that cannot be had is the first failure, as when it was loaded first
            throw e;
        }
        try (OpenTree tree = opened) {
            // Walk order depends on the file system; warnings in a stable order make runs comparable.
            Collections.sort(warnings.lines());
            options.hooks().afterWalk(root);
            // The root stays first; the rest in the byte order of UTF-8 names, which is also what sorts a
            // directory ("a/") before its content ("a/b").
            found.subList(1, found.size()).sort((a, b) -> Arrays.compareUnsigned(a.sortKey, b.sortKey));
            ScanState known = state.get();
            StatCache cache = known.cache();
            prepared = known.prepared();
            if (known.delivered() != null) {
                Map<String, ManifestEntry> byName = new HashMap<>();
                for (ManifestEntry e : known.delivered().entries()) {
                    byName.put(e.name(), e);
                }
                delivered = byName;
            }
            return summarise(tree, found, cache, start, began);
        }
    }

    private TreeScan summarise(OpenTree tree, List<Found> found, StatCache cache, Instant start, long began)
            throws IOException {
        List<ManifestEntry> entries = new ArrayList<>(found.size());
        Set<String> fileNames = new HashSet<>();
        TreeDigest digest = new TreeDigest();
        HardLinks links = new HardLinks(options.fidelity().hardLinks());
        int files = 0;
        try (HashAhead reading = pool == null || !compared
                ? null
                : new HashAhead(
                        tree,
                        options.opener(),
                        pool,
                        HASH_AHEAD_PER_THREAD * options.threads(),
                        found.size(),
                        i -> planned(found.get(i), cache, start))) {
            ahead = reading;
            for (int i = 0; i < found.size(); i++) {
                Found f = found.get(i);
                ManifestEntry entry = links.linkOf(f.name, f.stat, extras.nanos(f.stat));
                if (entry == null) {
                    entry = complete(tree, f, entry(tree, i, f, cache, start), cache, start);
                    links.archived(entry, f.stat);
                }
                listener.progress(++progress);
                if (entry == null) {
                    continue;
                }
                if (entry.type() == EntryType.FILE) {
                    fileNames.add(entry.name());
                }
                if (entry.type() != EntryType.DIRECTORY) {
                    files++;
                }
                entries.add(entry);
                digest.add(entry);
            }
        } finally {
            ahead = null;
        }
        cache.retainOnly(fileNames);
        cache.saveAtEndOfStep();
        TreeScan scan = new TreeScan(tree.root(), entries, digest.finish(), files, warnings.lines());
        LOG.log(
                Level.DEBUG,
                "scan {0}: {1} entries, {2} files hashed, {3} from the stat cache, {4} left to the write,"
                        + " {5} warnings, {6} ms",
                tree.root(),
                entries.size(),
                hashed,
                reused,
                deferred,
                scan.warnings().size(),
                Duration.ofNanos(System.nanoTime() - began).toMillis());
        options.hooks().afterScan(scan);
        return scan;
    }

    /**
     * {@code entry} with its sub-second mtime and extended attributes; null if it is null. A regular file's
     * attributes come from the stat cache when it vouches for them, else they are listed and kept there.
     */
    private ManifestEntry complete(OpenTree tree, Found f, ManifestEntry entry, StatCache cache, Instant start) {
        if (entry == null) {
            return null;
        }
        if (entry.type() != EntryType.FILE) {
            return extras.complete(entry, f.stat, extras.xattrs(tree, f.name, f.stat));
        }
        String known = options.fidelity().xattrs() ? cache.trustedXattrs(f.name, f.stat, start) : null;
        if (known != null) {
            return extras.complete(entry, f.stat, known);
        }
        EntryExtras.FileXattrs x;
        if (!compared && UNHASHED_HEX.equals(entry.sha256())) {
            // Listing opens the file for reading: if it is gone or unreadable, so is its content, and the entry
            // goes with the warning a scan that read it would give (the write would not even list them).
            try {
                x = extras.unreadFileXattrs(tree, f.name, f.stat, cache, start);
            } catch (IOException e) {
                warnings.notOpened(f.name, e);
                return null;
            }
        } else {
            x = extras.fileXattrs(tree, f.name, f.stat, cache, start);
        }
        if (x.cacheable() != null && UNHASHED_HEX.equals(entry.sha256())) {
            // No entry to keep them in: kept for the write, which then need not list them again.
            cache.rememberListedXattrs(f.name, f.stat, x.cacheable());
        } else if (x.cacheable() != null) {
            cache.rememberXattrs(f.name, f.stat, x.cacheable());
        }
        return extras.complete(entry, f.stat, x.xattrs());
    }

    /** The manifest entry of {@code f}, or null if its content cannot be read (with a warning). */
    private ManifestEntry entry(OpenTree tree, int index, Found f, StatCache cache, Instant start) throws IOException {
        FileStat s = f.stat;
        switch (s.type()) {
            case DIRECTORY:
                return ManifestEntry.directory(f.name, s.mode(), s.mtimeSeconds(), s.uid(), s.gid());
            case SYMLINK:
                return ManifestEntry.symlink(f.name, s.mode(), s.mtimeSeconds(), s.uid(), s.gid(), f.linkTarget);
            case FILE:
                byte[] hash = cache.trustedHash(f.name, s, start);
                ManifestEntry before = delivered.get(f.name);
                if (hash != null) {
                    reused++;
                } else if (before != null && before.type() == EntryType.FILE && before.size() != s.size()) {
                    // Its size is in the digest: the tree is not the delivered one whatever the file holds, and
                    // the write hashes the file as it reads it, once. (Not so for an mtime: the digest leaves
                    // it out, so that a touch is no change.)
                    deferred++;
                    hash = TreeScan.UNHASHED;
                } else if (!compared) {
                    // Nothing is compared with the digest (the server has no archive of this tree): the write
                    // hashes the file as it reads it, so it is read once.
                    cache.forget(f.name);
                    deferred++;
                    hash = TreeScan.UNHASHED;
                } else {
                    hash = hash(tree, index, f, cache, start);
                    if (hash == null) {
                        return null;
                    }
                }
                return ManifestEntry.file(
                        f.name, s.mode(), s.size(), s.mtimeSeconds(), s.uid(), s.gid(), HEX.formatHex(hash));
            default:
                throw new IllegalStateException("the walk keeps no " + s.kind());
        }
    }

    /**
     * The job of hashing {@code f} ahead of the scan, if the scan will hash it; null if not, or if it must be
     * hashed in order: a file with other names (whether it is a hard link depends on its first name's read)
     * and one the block-delta preparation may read (its budget is spent in order).
     */
    private HashAhead.Job planned(Found f, StatCache cache, Instant start) {
        FileStat s = f.stat;
        if (s.type() != EntryType.FILE
                || (options.fidelity().hardLinks() && s.hasOtherNames())
                || cache.trustedHash(f.name, s, start) != null) {
            return null;
        }
        ManifestEntry before = delivered.get(f.name);
        boolean sameSize = before != null && before.type() == EntryType.FILE && before.size() == s.size();
        if (before != null && before.type() == EntryType.FILE && !sameSize) {
            return null; // left to the write
        }
        if (prepared != null && sameSize && s.size() > FileCopier.BUFFERED_LIMIT) {
            return null;
        }
        return new HashAhead.Job(f.name, s);
    }

    private byte[] hash(OpenTree tree, int index, Found f, StatCache cache, Instant start) throws IOException {
        cache.forget(f.name);
        ManifestEntry before = delivered.get(f.name);
        HashAhead.Outcome read = ahead == null ? null : ahead.take(index);
        if (read == null) {
            HashAhead.Job job = new HashAhead.Job(f.name, f.stat);
            read = HashAhead.read(tree, reader, options.opener(), job, prepared, before);
        }
        if (read.openError() != null) {
            warnings.notOpened(f.name, read.openError());
            return null;
        }
        if (read.read().error() != null) {
            warnings.unreadable(f.name, read.read().error());
            return null;
        }
        hashed++;
        byte[] sha256 = read.read().sha256();
        if (read.steady()) {
            cache.remember(f.name, f.stat, sha256, start);
            if (read.delta() != null && !HEX.formatHex(sha256).equals(before.sha256())) {
                prepared.keep(f.name, read.delta()); // a touch hashes as the base version: nothing to send
            }
        }
        return sha256;
    }

    /** The root first, then everything under it that is kept, in walk order. */
    private List<Found> walk(OpenTree tree) throws IOException {
        FileStat rootStat = tree.rootStat();
        if (!rootStat.isDirectory()) {
            throw new NotDirectoryException(tree.root().toString());
        }
        List<Found> found = new ArrayList<>();
        Deque<Found> directories = new ArrayDeque<>();
        directories.push(new Found(ManifestEntry.ROOT_NAME, rootStat, ""));
        while (!directories.isEmpty()) {
            Found dir = directories.pop();
            boolean isRoot = found.isEmpty();
            List<Path> children;
            try {
                children = tree.list(dir.name);
            } catch (IOException e) {
                if (isRoot) {
                    throw e; // an unreadable root is the caller's error, not a warning
                }
                if (e instanceof NoSuchFileException) {
                    warnings.vanished(dir.name);
                } else {
                    warnings.unreadable(dir.name, e);
                }
                continue;
            }
            found.add(dir);
            progress += children.size();
            listener.progress(progress);
            String prefix = isRoot ? "" : dir.name;
            for (Path child : children) {
                Found f = visit(tree, prefix, child);
                if (f == null) {
                    continue;
                }
                if (f.stat.isDirectory()) {
                    directories.push(f);
                } else {
                    found.add(f);
                }
            }
        }
        return found;
    }

    /** Stats one child (its name as listed); null (with a warning) if the archive will not keep it. */
    private Found visit(OpenTree tree, String prefix, Path child) {
        String name = prefix + child;
        // Names are stored as UTF-8 strings; a name that does not survive the round trip (not valid UTF-8, or
        // not representable in the JVM's file name encoding) would not lead back to its file.
        if (!representable(child)) {
            warnings.badName(name);
            return null;
        }
        try {
            FileStat stat = tree.stat(name);
            EntryType type = stat.type();
            if (type == null) {
                warnings.skippedSpecial(stat.kind(), name);
                return null;
            }
            switch (type) {
                case DIRECTORY:
                    return new Found(name + "/", stat, "");
                case SYMLINK:
                    return new Found(name, stat, tree.readLink(name, stat));
                default:
                    return new Found(name, stat, "");
            }
        } catch (NoSuchFileException e) {
            warnings.vanished(name);
        } catch (IOException e) {
            warnings.unreadable(name, e);
        }
        return null;
    }

    private static boolean representable(Path fileName) {
        String s = fileName.toString();
        try {
            return Path.of(s).equals(fileName);
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
