package org.clusterbackup.core.agent;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.clusterbackup.core.archive.ArchiveOptions;

/**
 * How an agent runs, fixed at start.
 *
 * @param listen data-plane address; port 0 picks a free port
 * @param allow directories backups may read; empty refuses every request
 * @param stateDir where the stat caches live
 * @param restoreRoots directories restores may write into; empty refuses every restore
 * @param archive how trees are read and compressed (and the test seams)
 * @param restore how restores are bounded
 */
public record AgentSettings(InetSocketAddress listen, List<Path> allow, Path stateDir, ArchiveOptions archive,
                            List<Path> restoreRoots, RestoreSettings restore) {
    public AgentSettings {
        Objects.requireNonNull(listen, "listen");
        allow = List.copyOf(allow);
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(archive, "archive");
        restoreRoots = List.copyOf(restoreRoots);
        Objects.requireNonNull(restore, "restore");
    }

    /** Restores bounded by {@link RestoreSettings#DEFAULT}. */
    public AgentSettings(InetSocketAddress listen, List<Path> allow, Path stateDir, ArchiveOptions archive,
                         List<Path> restoreRoots) {
        this(listen, allow, stateDir, archive, restoreRoots, RestoreSettings.DEFAULT);
    }

    public AgentSettings withRestore(RestoreSettings newRestore) {
        return new AgentSettings(listen, allow, stateDir, archive, restoreRoots, newRestore);
    }

    /** An agent that accepts no restores. */
    public AgentSettings(InetSocketAddress listen, List<Path> allow, Path stateDir, ArchiveOptions archive) {
        this(listen, allow, stateDir, archive, List.of());
    }
}
