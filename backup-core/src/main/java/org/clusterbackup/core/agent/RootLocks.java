package org.clusterbackup.core.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per backed-up root, shared by all connections of an agent. Taken with a deadline: a backup
 * that waits longer than that for another of the same root is refused as busy, rather than holding a
 * worker thread for as long as the other one's server likes.
 */
final class RootLocks {
    private final ConcurrentHashMap<Path, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Duration timeout;

    RootLocks(Duration timeout) {
        this.timeout = timeout;
    }

    /** The root's lock, held by the caller; null when another backup of it kept it past the deadline. */
    ReentrantLock acquire(Path root) throws InterruptedException {
        ReentrantLock lock = locks.computeIfAbsent(root, r -> new ReentrantLock());
        return lock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS) ? lock : null;
    }

    Duration timeout() {
        return timeout;
    }
}
