package org.clusterbackup.core.archive;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Archives one regular file of a live tree by the hot-file protocol: stat, open, copy exactly the stat's
 * size (zero-padded if the file shrank, cut if it grew), stat again. If size, mtime, ctime or inode moved
 * in between, the copy may mix old and new content.
 *
 * <p><b>Why two paths.</b> The tar header, which carries the size, must precede the data, and the output
 * cannot be rewound, so a copy already streamed cannot be replaced by a better one.
 * <ul>
 * <li>A file of at most {@link #BUFFERED_LIMIT} bytes is read into a reused buffer and only then written.
 *     If it moved, it is read again, up to {@code hotFileRetries} more times; the first steady read is
 *     written, or else the last read with a warning ("changed while being read (kept after N tries)"). Small
 *     files are the ones applications rewrite whole (configs, state, pid files), so retrying them is cheap
 *     and usually yields a consistent copy.</li>
 * <li>A larger file is streamed into the archive as it is read, once. If it moved, it is kept with a
 *     warning. Reading it twice before writing would double the I/O of every large file to help only the
 *     rare hot one, and a large hot file is typically an appended log, whose streamed prefix is consistent
 *     anyway.</li>
 * </ul>
 * In both cases the tar header always states the number of bytes that follow, so one hot file never
 * breaks the archive; a file that moved is never stored in the stat cache, so the next scan re-hashes it.
 * A file that vanished, became unreadable or stopped being a regular file before its header was written
 * is skipped with a warning. A read error after the header (streamed files only) zero-fills the rest, with
 * a warning.
 *
 * <p>Every stat and open goes through an {@link OpenTree}: relative to open directories, never following a
 * symlink, so a directory swapped for a symlink after the scan makes its files unreadable (with a warning)
 * instead of letting files from outside the tree into the archive.
 *
 * <p>Not thread-safe: one per write. Closing it closes the directories it holds open.
 */
final class FileCopier implements AutoCloseable {
    /** Files up to this size are buffered, and so can be re-read when they move during the read. */
    static final int BUFFERED_LIMIT = 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(FileCopier.class.getName());
    private static final HexFormat HEX = HexFormat.of();

    private final ArchiveOptions options;
    private final StatCache cache;
    private final Instant start;
    private final Warnings warnings;
    private final EntryExtras extras;
    private final FileContent content;
    private final ExactReader reader = new ExactReader();
    private final SparseCopy sparse = new SparseCopy(reader);
    private byte[] whole; // allocated on the first small file
    private OpenTree tree; // opened on the first file

    FileCopier(ArchiveOptions options, StatCache cache, Instant start, Warnings warnings) {
        this(options, cache, start, warnings, FileContent.PLAIN);
    }

    /** With {@code content} deciding what becomes of each file's bytes (signatures, block deltas). */
    FileCopier(ArchiveOptions options, StatCache cache, Instant start, Warnings warnings, FileContent content) {
        this.options = options;
        this.cache = cache;
        this.start = start;
        this.warnings = warnings;
        this.extras = new EntryExtras(options, warnings);
        this.content = content;
    }

    /**
     * Writes {@code scanned} as it is now to {@code tar}.
     *
     * @return the entry as archived (stat and hash of the bytes written), or null if it was skipped
     * @throws IOException only from writing the archive; problems with the file become warnings
     */
    ManifestEntry copy(Path root, ManifestEntry scanned, TarGzStream tar) throws IOException {
        String name = scanned.name();
        options.hooks().beforeRead(scanned);
        OpenTree file;
        try {
            file = tree(root);
        } catch (IOException e) {
            warnings.unreadable(name, e); // the root itself was swapped or removed since the scan
            cache.forget(name);
            return null;
        }
        ExactReader.Progress progress = bytes -> options.hooks().afterChunk(scanned, bytes);
        int tries = options.hotFileRetries() + 1;
        for (int attempt = 1; ; attempt++) {
            FileStat before = stat(file, name);
            if (before == null) {
                return null;
            }
            EntryExtras.FileXattrs listed = extras.fileXattrs(file, name, before, cache, start);
            Xattrs xattrs = listed.xattrs();
            if (before.size() > BUFFERED_LIMIT) {
                return stream(file, name, before, listed, tar, progress);
            }
            SeekableByteChannel channel = open(file, name);
            if (channel == null) {
                return null;
            }
            if (whole == null) {
                whole = new byte[BUFFERED_LIMIT];
            }
            ExactReader.Result read;
            try {
                read = reader.fill(channel, (int) before.size(), whole, progress);
            } finally {
                closeQuietly(channel, name);
            }
            if (read.error() != null) {
                warnings.unreadable(name, read.error());
                cache.forget(name);
                return null;
            }
            boolean steady = steady(file, name, before);
            if (steady || attempt == tries) {
                SparseMap map = options.fidelity().sparse() ? SparseCopy.ofBuffer(whole, (int) before.size()) : null;
                if (map != null) {
                    // Holes go as a sparse entry, whole: block deltas and signatures are for plain content.
                    SparseCopy.writeBuffered(tar, header(name, before, xattrs), map, whole);
                } else {
                    content.whole(tar, header(name, before, xattrs), name, before, whole, read.sha256());
                }
                if (steady) {
                    cache.remember(name, before, read.sha256(), listed.cacheable(), start);
                } else {
                    cache.forget(name);
                    warnings.changedWhileRead(name, attempt);
                }
                if (attempt > 1) {
                    LOG.log(Level.DEBUG, "{0}: read {1} times while it changed", name, attempt);
                }
                return archived(name, before, xattrs, read.sha256());
            }
        }
    }

    private TarEntryHeader header(String name, FileStat stat, Xattrs xattrs) {
        return new TarEntryHeader(
                name,
                '0',
                stat.mode(),
                stat.size(),
                stat.mtimeSeconds(),
                extras.nanos(stat),
                stat.uid(),
                stat.gid(),
                "",
                EntryExtras.pax(xattrs));
    }

    private ManifestEntry stream(
            OpenTree file,
            String name,
            FileStat before,
            EntryExtras.FileXattrs listed,
            TarGzStream tar,
            ExactReader.Progress progress)
            throws IOException {
        Xattrs xattrs = listed.xattrs();
        PreparedDeltas.Prepared ready = content.prepared(name, before);
        if (ready != null) {
            // The scan read it at this very stat and worked out its delta: the file is not read again.
            content.fromPrepared(tar, header(name, before, xattrs), name, before, ready);
            cache.remember(name, before, ready.sha256(), listed.cacheable(), start);
            return archived(name, before, xattrs, ready.sha256());
        }
        SeekableByteChannel channel = open(file, name);
        if (channel == null) {
            return null;
        }
        ExactReader.Result read;
        try {
            // The header states the stored length, so the holes must be known first: one more pass.
            SparseMap map = null;
            if (options.fidelity().sparse()) {
                try {
                    map = sparse.scan(channel, before.size());
                    channel.position(0);
                } catch (IOException e) {
                    warnings.unreadable(name, e); // nothing is written yet: the file is skipped
                    cache.forget(name);
                    return null;
                }
            }
            if (map != null) {
                // Holes go as a sparse entry, whole: block deltas and signatures are for plain content.
                read = sparse.stream(tar, header(name, before, xattrs), map, channel, progress);
            } else {
                FileContent.Writer writer = content.begin(tar, header(name, before, xattrs), name, before);
                read = reader.stream(channel, before.size(), writer::write, progress);
                writer.end(read.sha256());
            }
        } finally {
            closeQuietly(channel, name);
        }
        if (read.error() != null) {
            warnings.readFailed(name, read.fromFile(), read.error());
            cache.forget(name);
        } else if (steady(file, name, before)) {
            cache.remember(name, before, read.sha256(), listed.cacheable(), start);
        } else {
            warnings.changedWhileStreamed(name);
            cache.forget(name);
        }
        return archived(name, before, xattrs, read.sha256());
    }

    /**
     * Writes directory, symlink or hard link {@code entry} as it is now: with the extended attributes it has at
     * this moment (a directory's; the scan only kept their digest), or without if it vanished.
     *
     * @return the entry as archived
     */
    ManifestEntry putEmpty(Path root, ManifestEntry entry, TarGzStream tar) throws IOException {
        Xattrs xattrs = Xattrs.NONE;
        if (entry.type() == EntryType.DIRECTORY && options.fidelity().xattrs()) {
            try {
                OpenTree t = tree(root);
                FileStat now = entry.isRoot() ? t.rootStat() : t.stat(entry.name());
                xattrs = now.isDirectory() ? extras.xattrs(t, entry.name(), now) : Xattrs.NONE;
            } catch (IOException e) {
                warnings.xattrsUnreadable(entry.name(), e);
            }
        }
        tar.putEmpty(entry, EntryExtras.pax(xattrs));
        return entry.withXattrs(xattrs.digest());
    }

    /** Stats {@code file} before a read; null (with a warning) if it can no longer be archived as a file. */
    private FileStat stat(OpenTree file, String name) {
        try {
            FileStat stat = file.stat(name);
            if (!stat.isFile()) {
                warnings.changedType(name, stat.kind());
                cache.forget(name);
                return null;
            }
            return stat;
        } catch (NoSuchFileException e) {
            warnings.vanished(name);
        } catch (IOException e) {
            warnings.unreadable(name, e);
        }
        cache.forget(name);
        return null;
    }

    private SeekableByteChannel open(OpenTree file, String name) {
        try {
            return options.opener().open(file.path(name), () -> file.openFile(name));
        } catch (NoSuchFileException e) {
            warnings.vanished(name);
        } catch (IOException e) {
            warnings.unreadable(name, e);
        }
        cache.forget(name);
        return null;
    }

    /** True if {@code file} still has the stat it had before the read. */
    private static boolean steady(OpenTree file, String name, FileStat before) {
        try {
            return file.stat(name).unchangedSince(before);
        } catch (IOException e) {
            return false; // vanished or unreadable after the read: the copy is what it was, but it moved
        }
    }

    /** The open tree of {@code root}, opened on first use. */
    private OpenTree tree(Path root) throws IOException {
        if (tree == null || !tree.root().equals(root.toAbsolutePath())) {
            close();
            tree = OpenTree.open(root);
        }
        return tree;
    }

    @Override
    public void close() {
        if (tree != null) {
            tree.close();
            tree = null;
        }
    }

    private ManifestEntry archived(String name, FileStat stat, Xattrs xattrs, byte[] sha256) {
        return extras.complete(
                ManifestEntry.file(
                        name,
                        stat.mode(),
                        stat.size(),
                        stat.mtimeSeconds(),
                        stat.uid(),
                        stat.gid(),
                        HEX.formatHex(sha256)),
                stat,
                xattrs);
    }

    static void closeQuietly(SeekableByteChannel channel, String name) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a file we only read loses nothing; the bytes are already copied.
            LOG.log(Level.DEBUG, "{0}: close failed: {1}", name, e.toString());
        }
    }
}
