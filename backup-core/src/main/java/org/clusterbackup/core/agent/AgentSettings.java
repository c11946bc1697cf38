package org.clusterbackup.core.agent;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.Fidelity;
import org.clusterbackup.core.net.PeerLimits;
import org.clusterbackup.core.security.Fingerprint;

/**
 * How an agent runs, fixed at start.
 *
 * @param listen data-plane address; port 0 picks a free port
 * @param allow directories backups may read; empty refuses every request
 * @param stateDir where the stat caches live
 * @param restoreRoots directories restores may write into; empty refuses every restore
 * @param archive how trees are read and compressed (and the test seams)
 * @param restore how restores are bounded
 * @param sendTimeout a server that reads nothing of what the agent sends for this long is cut off
 * @param lockTimeout how long a backup waits for another backup of the same root to end before it is
 *        refused as busy
 * @param trustedServers fingerprints of the servers this agent serves
 * @param trustFile a file of more of them (one a line, re-read on change), or null. With neither, the
 *        agent refuses to start.
 */
public record AgentSettings(
        InetSocketAddress listen,
        List<Path> allow,
        Path stateDir,
        ArchiveOptions archive,
        List<Path> restoreRoots,
        RestoreSettings restore,
        Duration sendTimeout,
        Duration lockTimeout,
        List<Fingerprint> trustedServers,
        Path trustFile) {
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMinutes(5);
    /** The most threads that may compress an archive's segments at once ({@code --threads}). */
    public static final int MAX_THREADS = ArchiveOptions.MAX_THREADS;

    public AgentSettings {
        trustedServers = List.copyOf(trustedServers);
        Objects.requireNonNull(listen, "listen");
        allow = List.copyOf(allow);
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(archive, "archive");
        restoreRoots = List.copyOf(restoreRoots);
        Objects.requireNonNull(restore, "restore");
        Objects.requireNonNull(sendTimeout, "sendTimeout");
        if (lockTimeout.isNegative()) {
            throw new IllegalArgumentException("lockTimeout cannot be negative, was " + lockTimeout);
        }
    }

    /**
     * Restores bounded by {@link RestoreSettings#DEFAULT}, default send and lock timeouts, and no trusted
     * server yet: give it some with {@link #withTrustedServers}.
     */
    public AgentSettings(
            InetSocketAddress listen,
            List<Path> allow,
            Path stateDir,
            ArchiveOptions archive,
            List<Path> restoreRoots) {
        this(
                listen,
                allow,
                stateDir,
                archive,
                restoreRoots,
                RestoreSettings.DEFAULT,
                PeerLimits.DEFAULT_SEND_TIMEOUT,
                DEFAULT_LOCK_TIMEOUT,
                List.of(),
                null);
    }

    public AgentSettings withRestore(RestoreSettings newRestore) {
        return new AgentSettings(
                listen,
                allow,
                stateDir,
                archive,
                restoreRoots,
                newRestore,
                sendTimeout,
                lockTimeout,
                trustedServers,
                trustFile);
    }

    public AgentSettings withSendTimeout(Duration timeout) {
        return new AgentSettings(
                listen,
                allow,
                stateDir,
                archive,
                restoreRoots,
                restore,
                timeout,
                lockTimeout,
                trustedServers,
                trustFile);
    }

    public AgentSettings withLockTimeout(Duration timeout) {
        return new AgentSettings(
                listen,
                allow,
                stateDir,
                archive,
                restoreRoots,
                restore,
                sendTimeout,
                timeout,
                trustedServers,
                trustFile);
    }

    public AgentSettings withTrustedServers(List<Fingerprint> servers) {
        return new AgentSettings(
                listen, allow, stateDir, archive, restoreRoots, restore, sendTimeout, lockTimeout, servers, trustFile);
    }

    public AgentSettings withTrustFile(Path file) {
        return new AgentSettings(
                listen,
                allow,
                stateDir,
                archive,
                restoreRoots,
                restore,
                sendTimeout,
                lockTimeout,
                trustedServers,
                file);
    }

    /** An agent that accepts no restores. */
    public AgentSettings(InetSocketAddress listen, List<Path> allow, Path stateDir, ArchiveOptions archive) {
        this(listen, allow, stateDir, archive, List.of());
    }

    /**
     * An agent as the {@code backup-agent} program runs it: standard file reading and compression
     * ({@link #withThreads} sets how many threads compress), restores bounded by {@link RestoreSettings#DEFAULT},
     * and no trusted server yet.
     */
    public static AgentSettings of(InetSocketAddress listen, List<Path> allow, Path stateDir, List<Path> restoreRoots) {
        return new AgentSettings(listen, allow, stateDir, ArchiveOptions.defaults(), restoreRoots);
    }

    /** One compressing thread per core the JVM may use, at most {@link #MAX_THREADS}. */
    public static int defaultThreads() {
        return ArchiveOptions.defaultThreads();
    }

    /**
     * With what the archives keep beyond names, modes, owners and content (the agent's {@code --no-xattrs},
     * {@code --no-hard-links}, {@code --no-sparse}, {@code --no-subsecond-times} turn each off).
     */
    public AgentSettings withFidelity(boolean xattrs, boolean hardLinks, boolean sparse, boolean subsecondTimes) {
        return new AgentSettings(
                listen,
                allow,
                stateDir,
                archive.withFidelity(new Fidelity(xattrs, hardLinks, sparse, subsecondTimes)),
                restoreRoots,
                restore,
                sendTimeout,
                lockTimeout,
                trustedServers,
                trustFile);
    }

    /** With {@code n} threads compressing segments at once, 1 to {@link #MAX_THREADS}. */
    public AgentSettings withThreads(int n) {
        return new AgentSettings(
                listen,
                allow,
                stateDir,
                archive.withThreads(n),
                restoreRoots,
                restore,
                sendTimeout,
                lockTimeout,
                trustedServers,
                trustFile);
    }
}
