package org.clusterbackup.core.archive;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Remembers, per regular file of one tree, its stat (type, mode, size, mtime and ctime to the nanosecond,
 * inode) and the SHA-256 of its content, so that a scan re-hashes only files whose stat moved (git-index /
 * restic style). The hash decides whether content changed; the cache only saves reading it.
 *
 * <p>It also remembers the digest of the file's extended attributes ({@link Xattrs#digest()}), when they were
 * listed: setting or removing an attribute moves the ctime, which the entry must match, so a file whose stat
 * did not move keeps its attributes too, and neither a scan nor a write opens it to list them again.
 *
 * <p><b>Racy rule.</b> Timestamps have a granularity (often a kernel tick): a file written again right
 * after we hashed it can keep the same mtime, size and inode, and so look unchanged. An entry is therefore
 * trusted only if its mtime and ctime are at least {@link #RACY_WINDOW} older than the start of the scan or
 * write that read it (from the injected clock); a younger or future-dated one is neither reused nor stored.
 * A file that is still being written is simply re-hashed on every scan until it settles.
 *
 * <p><b>File.</b> One file per tree in the agent's state dir, named by the SHA-256 of the root path, replaced
 * atomically ({@link org.clusterbackup.core.fs.AtomicFile}), so a crash leaves the old cache or the new,
 * whole. A missing, unreadable, foreign or corrupt file is an empty cache: losing it costs a re-hash, never a
 * different digest. Its format is {@link StatCacheFormat}'s.
 *
 * <p>Not thread-safe: one backup of a tree at a time uses its cache.
 */
public final class StatCache {
    /** Timestamps closer than this to the start of a scan are not trusted (see the class comment). */
    public static final Duration RACY_WINDOW = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger(StatCache.class.getName());

    private final Path file;
    private final String root;
    private final Map<String, Entry> entries;
    /**
     * Attribute digests listed by a scan for files it left unhashed (so with no entry to keep them in): the
     * write that follows trusts them at the same stat, as it trusts an entry's, and they are never saved.
     */
    private final Map<String, Entry> listedOnly = new HashMap<>();

    private boolean dirty;
    /** True when scans and writes leave saving to the caller (see {@link #savedByCaller()}). */
    private boolean callerSaves;

    private StatCache(Path file, String root, Map<String, Entry> entries) {
        this.file = file;
        this.root = root;
        this.entries = entries;
    }

    /** The cache of {@code root} kept in {@code stateDir}; empty if there is none or it cannot be read. */
    public static StatCache load(Path stateDir, Path root) {
        String rootKey = rootKey(root);
        Path file = fileFor(stateDir, root);
        try (InputStream in = Files.newInputStream(file)) {
            return new StatCache(file, rootKey, StatCacheFormat.read(in, rootKey));
        } catch (NoSuchFileException e) {
            LOG.log(Level.DEBUG, "stat cache {0} for {1}: none yet", file, rootKey);
        } catch (IOException | RuntimeException e) {
            // Only an optimisation is lost: every file of the tree is re-hashed once.
            LOG.log(
                    Level.WARNING,
                    "stat cache {0} for {1} is unreadable, starting empty: {2}",
                    file,
                    rootKey,
                    e.toString());
        }
        return new StatCache(file, rootKey, new HashMap<>());
    }

    /** A cache kept in memory only: {@link #save()} does nothing. */
    public static StatCache empty() {
        return new StatCache(null, null, new HashMap<>());
    }

    /** Where {@link #load} and {@link #save} keep the cache of {@code root}. */
    public static Path fileFor(Path stateDir, Path root) {
        byte[] hash = TreeDigest.newSha256().digest(rootKey(root).getBytes(StandardCharsets.UTF_8));
        return stateDir.resolve("statcache-" + HexFormat.of().formatHex(hash) + ".bin");
    }

    /** Number of files remembered. */
    public int size() {
        return entries.size();
    }

    /**
     * Makes the scans and writes given this cache leave saving it to the caller, who calls {@link #save()} or
     * {@link #saveQuietly()} once, when it suits it: the agent saves after the run's reply is sent, so the
     * rewrite and its fsync are not on the way to the answer. A crash before that save loses only what this
     * run learnt (the next scan re-hashes those files), never an answer: the file on disk is the previous,
     * whole cache. Without this call, every scan and write saves the cache at its end.
     *
     * @return this cache
     */
    public StatCache savedByCaller() {
        callerSaves = true;
        return this;
    }

    /**
     * Writes the cache to its file, atomically, if anything changed since it was loaded or last saved.
     * Scans and writes call this themselves unless {@link #savedByCaller()}; it is public for such callers and
     * those that change nothing else.
     */
    public void save() throws IOException {
        if (file == null || !dirty) {
            return;
        }
        StateFiles.replace(file, out -> StatCacheFormat.write(out, root, entries));
        dirty = false;
        LOG.log(Level.DEBUG, "stat cache {0} for {1}: saved {2} entries", file, root, entries.size());
    }

    /** What a scan or write does at its end: {@link #saveQuietly()}, unless the caller saves. */
    void saveAtEndOfStep() {
        if (!callerSaves) {
            saveQuietly();
        }
    }

    /** Saves, logging a failure: the backup itself is fine, and the next scan re-hashes what was not kept. */
    public void saveQuietly() {
        try {
            save();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "stat cache {0} for {1} not saved: {2}", file, root, e.toString());
        }
    }

    /** The remembered hash of {@code name}, if its stat is unchanged and old enough to trust; else null. */
    byte[] trustedHash(String name, FileStat stat, Instant start) {
        Entry e = entries.get(name);
        if (e == null || !e.matches(stat) || isRacy(stat, start)) {
            return null;
        }
        return e.sha256;
    }

    /**
     * The remembered digest of the extended attributes of {@code name} ("" for none), if its stat is unchanged
     * and old enough to trust and they were listed; else null: they must be listed.
     */
    String trustedXattrs(String name, FileStat stat, Instant start) {
        Entry e = entries.getOrDefault(name, listedOnly.get(name));
        if (e == null || e.xattrs == null || !e.matches(stat) || isRacy(stat, start)) {
            return null;
        }
        return e.xattrs;
    }

    /** As {@link #remember(String, FileStat, byte[], String, Instant)}, the attributes not known. */
    void remember(String name, FileStat stat, byte[] hash, Instant start) {
        remember(name, stat, hash, null, start);
    }

    /**
     * Remembers {@code hash} as the content of {@code name} with {@code stat} and {@code xattrs} as the digest
     * of its extended attributes (null: not known), or forgets {@code name} if that stat is too young to trust.
     * Callers pass only stats that did not move while the file was read and its attributes listed.
     */
    void remember(String name, FileStat stat, byte[] hash, String xattrs, Instant start) {
        if (!stat.isFile()
                || isRacy(stat, start)
                || name.getBytes(StandardCharsets.UTF_8).length > StatCacheFormat.MAX_NAME_BYTES) {
            forget(name);
            return;
        }
        put(name, new Entry(stat.mode(), stat.size(), stat.mtime(), stat.ctime(), stat.inode(), hash.clone(), xattrs));
    }

    /**
     * Adds the digest of the extended attributes of {@code name}, listed after {@code stat} was taken, to its
     * entry if that entry is of this very stat. Attributes set after the stat moved the file's ctime, so an
     * entry keeping them under the older stat never matches the file again: it cannot hide a change.
     */
    void rememberXattrs(String name, FileStat stat, String xattrs) {
        Entry e = entries.get(name);
        if (e != null && e.matches(stat)) {
            put(name, new Entry(e.mode, e.size, e.mtime, e.ctime, e.inode, e.sha256, xattrs));
        }
    }

    /**
     * Keeps, for this backup only, the digest of the extended attributes of {@code name}, listed after
     * {@code stat} was taken, when its content was not hashed (a scan that leaves it to the write): the write
     * then trusts them as {@link #trustedXattrs} trusts an entry's, at that very stat. Not saved; any entry
     * remembered or forgotten for {@code name} replaces it.
     */
    void rememberListedXattrs(String name, FileStat stat, String xattrs) {
        if (stat.isFile()) {
            listedOnly.put(
                    name, new Entry(stat.mode(), stat.size(), stat.mtime(), stat.ctime(), stat.inode(), null, xattrs));
        }
    }

    private void put(String name, Entry e) {
        listedOnly.remove(name);
        Entry old = entries.put(name, e);
        if (old == null || !old.sameAs(e)) {
            dirty = true;
        }
    }

    void forget(String name) {
        listedOnly.remove(name);
        if (entries.remove(name) != null) {
            dirty = true;
        }
    }

    /** Forgets every file not in {@code names} (files deleted from the tree). */
    void retainOnly(Set<String> names) {
        listedOnly.keySet().retainAll(names);
        if (entries.keySet().retainAll(names)) {
            dirty = true;
        }
    }

    static boolean isRacy(FileStat stat, Instant start) {
        Instant trusted = start.minus(RACY_WINDOW);
        return stat.mtime().compareTo(trusted) >= 0 || stat.ctime().compareTo(trusted) >= 0;
    }

    private static String rootKey(Path root) {
        return root.toAbsolutePath().normalize().toString();
    }

    /**
     * What was true of one regular file when it was hashed.
     *
     * @param xattrs the digest of its extended attributes ("" for none), or null if they were not listed
     */
    record Entry(int mode, long size, Instant mtime, Instant ctime, long inode, byte[] sha256, String xattrs) {

        boolean matches(FileStat s) {
            return s.isFile()
                    && mode == s.mode()
                    && size == s.size()
                    && mtime.equals(s.mtime())
                    && ctime.equals(s.ctime())
                    && inode == s.inode();
        }

        boolean sameAs(Entry o) {
            return mode == o.mode
                    && size == o.size
                    && mtime.equals(o.mtime)
                    && ctime.equals(o.ctime)
                    && inode == o.inode
                    && Arrays.equals(sha256, o.sha256)
                    && Objects.equals(xattrs, o.xattrs);
        }
    }
}
