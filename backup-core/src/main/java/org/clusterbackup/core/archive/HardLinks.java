package org.clusterbackup.core.archive;

import java.util.HashMap;
import java.util.Map;

/**
 * Finds the second and later names of a file within one tree, in archive order: the first name of an inode
 * (device and inode) holds the content; each later one becomes a tar hard link to it, as GNU tar writes them.
 * Only files with more than one name are remembered, so memory grows with the linked files alone.
 */
final class HardLinks {
    private record Inode(long device, long inode) {}

    private final boolean enabled;
    private final Map<Inode, String> firstNames = new HashMap<>();

    HardLinks(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The hard link entry for {@code name}, if an earlier entry of the archive is the same file; else null.
     *
     * @param nanos the fraction of a second of the mtime the archive keeps
     */
    ManifestEntry linkOf(String name, FileStat stat, int nanos) {
        if (!enabled || !stat.hasOtherNames()) {
            return null;
        }
        String first = firstNames.get(new Inode(stat.device(), stat.inode()));
        if (first == null) {
            return null;
        }
        return ManifestEntry.hardLink(name, stat.mode(), stat.mtimeSeconds(), stat.uid(), stat.gid(), first)
                .withMtimeNanos(nanos);
    }

    /** Tells that {@code entry} (null if it was skipped) was archived with its content, its stat {@code stat}. */
    void archived(ManifestEntry entry, FileStat stat) {
        if (enabled && entry != null && entry.type() == EntryType.FILE && stat.hasOtherNames()) {
            firstNames.putIfAbsent(new Inode(stat.device(), stat.inode()), entry.name());
        }
    }
}
