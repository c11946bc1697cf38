package org.clusterbackup.core.archive;

import java.io.IOException;
import java.util.Map;

/**
 * What an entry carries besides its stat and content, as {@link Fidelity} asks: the mtime's fraction of a
 * second and the extended attributes. Scan and write both use it, so a scanned entry and the entry as
 * archived are built alike. Attributes left out (binary values) or unreadable become warnings.
 */
final class EntryExtras {
    private final Fidelity fidelity;
    private final ArchiveHooks hooks;
    private final Warnings warnings;

    EntryExtras(ArchiveOptions options, Warnings warnings) {
        this.fidelity = options.fidelity();
        this.hooks = options.hooks();
        this.warnings = warnings;
    }

    /** The fraction of a second of {@code stat}'s mtime that the archive keeps. */
    int nanos(FileStat stat) {
        return fidelity.subsecondTimes() ? stat.mtime().getNano() : 0;
    }

    /**
     * The attributes of entry {@code name} (whose stat is {@code stat}) that the archive keeps: none for a
     * symlink (Linux keeps no {@code user.*} attributes on links) or when they are off. Attributes that cannot
     * be read (the entry vanished, or a directory on its path was swapped) are none, with a warning: the
     * entry itself is read through open directories and stands or falls on its own.
     */
    Xattrs xattrs(OpenTree tree, String name, FileStat stat) {
        Xattrs x = list(tree, name, stat);
        return x == null ? Xattrs.NONE : x;
    }

    /** As {@link #xattrs}, but null when they could not be read. */
    private Xattrs list(OpenTree tree, String name, FileStat stat) {
        try {
            return listing(tree, name, stat);
        } catch (IOException e) {
            warnings.xattrsUnreadable(name, e);
            return null;
        }
    }

    private Xattrs listing(OpenTree tree, String name, FileStat stat) throws IOException {
        if (!fidelity.xattrs() || stat.isSymlink()) {
            return Xattrs.NONE;
        }
        hooks.beforeXattrs(name);
        Xattrs x = tree.xattrs(name, stat);
        for (String skipped : x.skipped()) {
            warnings.xattrSkipped(name, skipped);
        }
        return x;
    }

    /**
     * The attributes of a regular file and what the stat cache may keep of them.
     *
     * @param xattrs what the archive keeps
     * @param cacheable their digest, or null when the cache must not vouch for them: attributes off (so not
     *        listed), unreadable, or some left out (whose warning must come again)
     */
    record FileXattrs(Xattrs xattrs, String cacheable) {
        FileXattrs {
            java.util.Objects.requireNonNull(xattrs, "xattrs");
        }
    }

    /**
     * The attributes of regular file {@code name} as {@link #xattrs} lists them, unless {@code cache} knows the
     * file has none at this very stat (its ctime included, which any change of attributes moves): then none,
     * without opening it.
     */
    FileXattrs fileXattrs(OpenTree tree, String name, FileStat stat, StatCache cache, java.time.Instant start) {
        try {
            return fileXattrs(tree, name, stat, cache, start, false);
        } catch (IOException e) {
            throw new IllegalStateException("listing warns of every failure here", e);
        }
    }

    /**
     * As {@link #fileXattrs(OpenTree, String, FileStat, StatCache, java.time.Instant)}, for a file whose content
     * no read has opened: when listing finds it gone or unreadable (listing opens it for reading, as a read
     * would), that is thrown without a warning, for the caller to treat as a failed read.
     */
    FileXattrs unreadFileXattrs(OpenTree tree, String name, FileStat stat, StatCache cache, java.time.Instant start)
            throws IOException {
        return fileXattrs(tree, name, stat, cache, start, true);
    }

    private FileXattrs fileXattrs(
            OpenTree tree, String name, FileStat stat, StatCache cache, java.time.Instant start, boolean unread)
            throws IOException {
        if (!fidelity.xattrs()) {
            return new FileXattrs(Xattrs.NONE, null);
        }
        if ("".equals(cache.trustedXattrs(name, stat, start))) {
            return new FileXattrs(Xattrs.NONE, "");
        }
        Xattrs listed;
        try {
            listed = listing(tree, name, stat);
        } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
            if (unread) {
                throw e;
            }
            warnings.xattrsUnreadable(name, e);
            return new FileXattrs(Xattrs.NONE, null);
        } catch (IOException e) {
            warnings.xattrsUnreadable(name, e);
            return new FileXattrs(Xattrs.NONE, null);
        }
        return new FileXattrs(listed, listed.skipped().isEmpty() ? listed.digest() : null);
    }

    /** {@code entry} with the fraction of {@code stat}'s mtime and the digest of {@code xattrs}. */
    ManifestEntry complete(ManifestEntry entry, FileStat stat, Xattrs xattrs) {
        return complete(entry, stat, xattrs.digest());
    }

    /** {@code entry} with the fraction of {@code stat}'s mtime and {@code xattrs}, the digest of its attributes. */
    ManifestEntry complete(ManifestEntry entry, FileStat stat, String xattrs) {
        return entry.withMtimeNanos(nanos(stat)).withXattrs(xattrs);
    }

    /** The PAX records of {@code xattrs}: {@code SCHILY.xattr.NAME=VALUE}. */
    static Map<String, String> pax(Xattrs xattrs) {
        Map<String, String> records = new java.util.TreeMap<>();
        xattrs.values().forEach((k, v) -> records.put(Xattrs.PAX_PREFIX + k, v));
        return records;
    }
}
