package org.clusterbackup.core.agent;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/** One lock per backed-up root, shared by all connections of an agent. */
final class RootLocks {
    private final ConcurrentHashMap<Path, ReentrantLock> locks = new ConcurrentHashMap<>();

    ReentrantLock forRoot(Path root) {
        return locks.computeIfAbsent(root, r -> new ReentrantLock());
    }
}
