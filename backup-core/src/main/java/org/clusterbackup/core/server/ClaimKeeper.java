package org.clusterbackup.core.server;

import org.clusterbackup.core.concurrent.DaemonThreads;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.clusterbackup.core.catalog.TargetClaims;
import org.clusterbackup.core.schedule.BackupScheduler;
import org.clusterbackup.core.schedule.RestoredTarget;

/**
 * A server's side of the claims on a shared catalog: renews them every third of the lease and keeps the
 * scheduler to exactly the targets it holds. Targets newly held join the scheduler from their last run;
 * targets lost leave it. When renewals keep failing (the database is unreachable) for two thirds of a lease,
 * the server drops every target before any other server can take one, so two never run it at once; a run
 * still in progress then cannot be recorded (the fence) and is closed by whoever takes the target.
 */
final class ClaimKeeper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClaimKeeper.class.getName());

    private final TargetClaims claims;
    private final Duration lease;
    private final BackupScheduler scheduler;
    private final ScheduledRuns runs;
    private final LongSupplier nanoTime;
    private final Set<Long> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private long lastRenewed;
    /** Known once the listener is bound (the default name is its address); set before the first round. */
    private volatile String name;
    private volatile String address;

    ClaimKeeper(TargetClaims claims, Duration lease, BackupScheduler scheduler, ScheduledRuns runs,
                LongSupplier nanoTime) {
        this.claims = claims;
        this.lease = lease;
        this.scheduler = scheduler;
        this.runs = runs;
        this.nanoTime = nanoTime;
        this.lastRenewed = nanoTime.getAsLong();
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("backup-claims"));
    }

    /**
     * Says this server is alive at once, and claims from a third of a lease on: servers that start
     * together are all counted before any of them claims, so they share the targets.
     */
    void start(String serverName, String serverAddress) {
        this.name = serverName;
        this.address = serverAddress;
        claims.heartbeat(name, address, lease);
        long period = Math.max(1, lease.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::guardedRound, period, period, TimeUnit.MILLISECONDS);
    }

    /** Claims soon, e.g. a target just registered, instead of at the next round. */
    void soon() {
        if (name != null) {
            timer.execute(this::guardedRound);
        }
    }

    long leaseSeconds() {
        return lease.toSeconds();
    }

    /** Why this server does not run a target it was asked to run now. */
    String notHeld(String label, long targetId) {
        String holder = claims.holders().get(targetId);
        return "target " + label + " is run by " + (holder == null
                ? "whichever server of this cluster claims it next (none holds it yet; try again in a few seconds)"
                : "server " + holder + " of this cluster, not this one (" + name + "); run it there");
    }

    boolean holds(long targetId) {
        return held.contains(targetId);
    }

    /** One renewal and the scheduler brought in line with it; rounds run on the timer thread only. */
    void round() {
        Set<Long> now;
        try {
            now = claims.renew(name, address, lease);
            lastRenewed = nanoTime.getAsLong();
        } catch (RuntimeException e) {
            long silentNanos = nanoTime.getAsLong() - lastRenewed;
            LOG.log(Level.WARNING, "[server {0}] cannot renew its claims: {1}", name, e.getMessage());
            if (!held.isEmpty() && silentNanos >= lease.toNanos() * 2 / 3) {
                LOG.log(Level.WARNING, "[server {0}] no renewal for {1} ms: stops running its {2} targets before its"
                        + " lease ends", name, TimeUnit.NANOSECONDS.toMillis(silentNanos), held.size());
                sync(Set.of());
            }
            return;
        }
        sync(now);
    }

    private void sync(Set<Long> now) {
        for (Long id : List.copyOf(held)) {
            if (!now.contains(id)) {
                held.remove(id);
                scheduler.remove(id);
                LOG.log(Level.INFO, "[target {0}] no longer held by server {1}", id, name);
            }
        }
        Set<Long> gained = new HashSet<>(now);
        gained.removeAll(held);
        if (!gained.isEmpty()) {
            List<RestoredTarget> adopted = runs.restore().stream().filter(r -> gained.contains(r.target().id()))
                    .toList();
            try {
                scheduler.adopt(adopted);
                adopted.forEach(r -> held.add(r.target().id()));
            } catch (IllegalArgumentException stillRunning) {
                // One of them was lost and is back while its last run here goes on: take the others now, that
                // one at a later round, once its run has ended.
                for (RestoredTarget r : adopted) {
                    try {
                        scheduler.adopt(List.of(r));
                        held.add(r.target().id());
                    } catch (IllegalArgumentException e) {
                        LOG.log(Level.DEBUG, "[target {0}] held again while its last run goes on", r.target().id());
                    }
                }
            }
            LOG.log(Level.INFO, "[server {0}] holds {1} targets", name, held.size());
        }
    }

    private void guardedRound() {
        try {
            round();
        } catch (RuntimeException e) {
            // A failing round must not end the timer: the next one may succeed.
            LOG.log(Level.ERROR, "[server " + name + "] claim round failed", e);
        }
    }

    /** Stops renewing and gives the claims back at once, so other servers need not wait for the lease. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "[server {0}] claim timer did not stop in 10 s", name);
            }
            if (name != null) {
                claims.release(name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "[server {0}] cannot release its claims; they lapse after the lease: {1}", name,
                    e.getMessage());
        }
    }

    /** Stops renewing without giving anything back: what a killed server leaves, for tests. */
    void abandon() {
        timer.shutdownNow();
    }
}
