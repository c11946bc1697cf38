package org.clusterbackup.core.restore;

/**
 * What one restore may write, whatever the archive holds.
 *
 * @param maxEntries entries (files, directories, links) a restore may create; {@link Long#MAX_VALUE} for no
 *        limit of its own
 * @param maxBytes bytes of file content a restore may actually write (holes of sparse files do not count);
 *        {@link Long#MAX_VALUE} for no limit of its own. Either way a restore never takes more than
 *        {@link #FREE_SPACE_SHARE_PERCENT}% of the space free on the file system when it starts
 * @param restoreSetid restore setuid and setgid bits; when false they are dropped, and counted in a warning
 */
public record RestoreLimits(long maxEntries, long maxBytes, boolean restoreSetid) {
    /** No limits but free space; setuid and setgid bits dropped. */
    public static final RestoreLimits DEFAULT = new RestoreLimits(Long.MAX_VALUE, Long.MAX_VALUE, false);
    /** The share of the free space a restore may fill, so that a node's disk is never filled to the last byte. */
    public static final int FREE_SPACE_SHARE_PERCENT = 95;

    public RestoreLimits {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be at least 0, was " + maxBytes);
        }
    }

    public RestoreLimits withRestoreSetid(boolean restore) {
        return new RestoreLimits(maxEntries, maxBytes, restore);
    }
}
