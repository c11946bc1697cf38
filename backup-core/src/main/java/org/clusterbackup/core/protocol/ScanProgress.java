package org.clusterbackup.core.protocol;

/**
 * Agent → server while a backup's scan runs: how many entries it has walked and hashed so far. Unlike a
 * keep-alive it proves work, so the server's stall timeout is reset only when the count grows.
 *
 * @param entries entries walked plus entries hashed (or vouched for by the stat cache); only ever grows
 */
public record ScanProgress(long entries) implements Message {
    public ScanProgress {
        if (entries < 0) {
            throw new IllegalArgumentException("entries cannot be negative, was " + entries);
        }
    }
}
