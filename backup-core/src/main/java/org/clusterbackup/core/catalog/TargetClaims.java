package org.clusterbackup.core.catalog;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which server of a cluster runs which target: each target is claimed by one server at a time, for a lease
 * its holder renews. A server that stops renewing (killed, cut off) loses its claims when the lease ends,
 * and another server takes them. A server holding more than its share gives the excess back a few at a
 * time ({@link #release(String, Collection)}), so the targets spread again when a server joins or returns.
 * Leases run on the database's clock.
 */
public interface TargetClaims {
    /**
     * One round of a holder's loop, in one transaction: its heartbeat, its claims renewed, and free or
     * expired targets claimed up to its share (active targets divided by live servers, rounded up).
     *
     * @param server this server's name
     * @param address its control-plane address, for {@link #liveServers}
     * @return the ids of the targets it holds now, ascending
     */
    Set<Long> renew(String server, String address, Duration lease);

    /** Says the server is alive without claiming anything: servers starting together share fairly. */
    void heartbeat(String server, String address, Duration lease);

    /** A clean stop: the server's claims go at once, not when their lease ends. */
    void release(String server);

    /**
     * The fair-share release: gives back these of the server's claims at once, so that the next claim round
     * of a server under its share takes them. The caller has stopped scheduling them first.
     *
     * @return the ones it held, now free
     */
    Set<Long> release(String server, Collection<Long> targetIds);

    /** One server's fair share now: the active targets over the live servers, rounded up. */
    long share();

    /** Servers whose lease has not run out, by name. */
    List<ServerRecord> liveServers();

    /** The holder of each target held now, by target id; a target nobody holds is absent. */
    Map<Long, String> holders();

    /**
     * From now on the catalog records a run's end only while {@code server} holds the run's target with a
     * lease not yet over (the fencing check, in the transaction that records it); otherwise that
     * transaction fails with a {@link CatalogException} and records nothing.
     */
    void fenceRunsOf(String server);

    /**
     * Start-up of a server on a shared catalog: the runs left RUNNING on targets still claimed in its name
     * (by its previous life) are closed as FAILED with {@code reason}; other servers' runs are left alone.
     *
     * @return how many were closed
     */
    int failInterruptedRunsOf(String server, String reason);

    /** Manual runs asked of one server of the cluster for a target another one holds. */
    RunRequests runRequests();
}
