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
    private final Warnings warnings;

    EntryExtras(Fidelity fidelity, Warnings warnings) {
        this.fidelity = fidelity;
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
        if (!fidelity.xattrs() || stat.isSymlink()) {
            return Xattrs.NONE;
        }
        try {
            Xattrs x = tree.xattrs(name, stat);
            for (String skipped : x.skipped()) {
                warnings.xattrSkipped(name, skipped);
            }
            return x;
        } catch (IOException e) {
            warnings.xattrsUnreadable(name, e);
            return Xattrs.NONE;
        }
    }

    /** {@code entry} with the fraction of {@code stat}'s mtime and the digest of {@code xattrs}. */
    ManifestEntry complete(ManifestEntry entry, FileStat stat, Xattrs xattrs) {
        return entry.withMtimeNanos(nanos(stat)).withXattrs(xattrs.digest());
    }

    /** The PAX records of {@code xattrs}: {@code SCHILY.xattr.NAME=VALUE}. */
    static Map<String, String> pax(Xattrs xattrs) {
        Map<String, String> records = new java.util.TreeMap<>();
        xattrs.values().forEach((k, v) -> records.put(Xattrs.PAX_PREFIX + k, v));
        return records;
    }
}
