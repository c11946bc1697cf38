package org.clusterbackup.core.restore;

/**
 * Counts what one restore writes against its {@link RestoreLimits} and the space that was free when it
 * started, and stops it the moment either is exceeded, before the entry or bytes that would exceed it are
 * written.
 */
final class WriteBudget {
    private final long maxEntries;
    private final long maxBytes;
    private final String bytesLimit;
    private long entries;
    private long bytes;

    /**
     * @param limits the agent's limits
     * @param usableSpace bytes free for this process on the target's file system at the start
     */
    WriteBudget(RestoreLimits limits, long usableSpace) {
        long freeShare = usableSpace / 100 * RestoreLimits.FREE_SPACE_SHARE_PERCENT;
        this.maxEntries = limits.maxEntries();
        this.maxBytes = Math.min(limits.maxBytes(), freeShare);
        this.bytesLimit = limits.maxBytes() <= freeShare
                ? "the agent's --restore-max-bytes " + limits.maxBytes()
                : RestoreLimits.FREE_SPACE_SHARE_PERCENT + "% of the " + usableSpace + " bytes free on its file system";
    }

    /** One more entry (file, directory or link) is about to be created. */
    void entry(String name) throws RestoreLimitException {
        if (++entries > maxEntries) {
            throw new RestoreLimitException("the archive has more than the " + maxEntries + " entries the agent's"
                    + " --restore-max-files allows (at '" + name + "')");
        }
    }

    /** {@code n} more bytes of file content are about to be written (holes are not). */
    void bytes(long n, String name) throws RestoreLimitException {
        bytes += n;
        if (bytes > maxBytes) {
            throw new RestoreLimitException("the archive needs more than " + bytesLimit + " (at '" + name + "')");
        }
    }

    /** Bytes of file content actually written so far. */
    long written() {
        return bytes;
    }
}
