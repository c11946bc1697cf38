package org.clusterbackup.core.agent;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.security.Fingerprint;

/**
 * How an agent runs, fixed at start.
 *
 * @param listen data-plane address; port 0 picks a free port
 * @param allow directories backups may read; empty refuses every request
 * @param stateDir where the stat caches live
 * @param restoreRoots directories restores may write into; empty refuses every restore
 * @param archive how trees are read and compressed (and the test seams)
 * @param trustedServers fingerprints of the servers this agent serves
 * @param trustFile a file of more of them (one a line, re-read on change), or null. With neither, the
 *        agent refuses to start.
 */
public record AgentSettings(InetSocketAddress listen, List<Path> allow, Path stateDir, ArchiveOptions archive,
                            List<Path> restoreRoots, List<Fingerprint> trustedServers, Path trustFile) {
    public AgentSettings {
        trustedServers = List.copyOf(trustedServers);
        Objects.requireNonNull(listen, "listen");
        allow = List.copyOf(allow);
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(archive, "archive");
        restoreRoots = List.copyOf(restoreRoots);
    }

    /** An agent that trusts no server yet: give it some with {@link #withTrustedServers}. */
    public AgentSettings(InetSocketAddress listen, List<Path> allow, Path stateDir, ArchiveOptions archive,
                         List<Path> restoreRoots) {
        this(listen, allow, stateDir, archive, restoreRoots, List.of(), null);
    }

    public AgentSettings withTrustedServers(List<Fingerprint> servers) {
        return new AgentSettings(listen, allow, stateDir, archive, restoreRoots, servers, trustFile);
    }

    public AgentSettings withTrustFile(Path file) {
        return new AgentSettings(listen, allow, stateDir, archive, restoreRoots, trustedServers, file);
    }

    /** An agent that accepts no restores. */
    public AgentSettings(InetSocketAddress listen, List<Path> allow, Path stateDir, ArchiveOptions archive) {
        this(listen, allow, stateDir, archive, List.of());
    }
}
