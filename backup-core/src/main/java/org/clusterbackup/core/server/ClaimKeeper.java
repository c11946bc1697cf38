package org.clusterbackup.core.server;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.clusterbackup.core.catalog.TargetClaims;
import org.clusterbackup.core.concurrent.DaemonThreads;
import org.clusterbackup.core.schedule.BackupScheduler;
import org.clusterbackup.core.schedule.RestoredTarget;

/**
 * A server's side of the claims on a shared catalog: renews them every third of the lease and keeps the
 * scheduler to exactly the targets it holds. Targets newly held join the scheduler from their last run;
 * targets lost leave it. A server holding more than its fair share gives the excess back gently: at most
 * {@link #releasePerRound} a round, idle ones whose next run is furthest away first, so a server that joins
 * or comes back gets its share within a few rounds. When renewals keep failing (the database is
 * unreachable) for two thirds of a lease, the server drops every target before any other server can take
 * one, so two never run it at once; a run still in progress then cannot be recorded (the fence) and is
 * closed by whoever takes the target.
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
    /** Drops the targets when no renewal came in time; never busy with the database. */
    private final ScheduledExecutorService watchdog;

    private final RunHooks hooks;
    /** When, by {@link #nanoTime}, the targets go unless a renewal comes first; guarded by this. */
    private long dropDeadline = Long.MAX_VALUE;

    private volatile ScheduledFuture<?> dropTask;
    /** Known once the listener is bound (the default name is its address); set before the first round. */
    private volatile String name;

    private volatile String address;

    ClaimKeeper(
            TargetClaims claims,
            Duration lease,
            BackupScheduler scheduler,
            ScheduledRuns runs,
            LongSupplier nanoTime,
            RunHooks hooks) {
        this.hooks = hooks;
        this.claims = claims;
        this.lease = lease;
        this.scheduler = scheduler;
        this.runs = runs;
        this.nanoTime = nanoTime;
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("backup-claims"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("backup-claims-watchdog"));
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

    boolean holds(long targetId) {
        return held.contains(targetId);
    }

    /**
     * One renewal and the scheduler brought in line with it; rounds run on the timer thread only. A renewal
     * counts from before it was sent (the database set the lease's end later than that), so the drop
     * deadline it arms is never later than two thirds of the lease the database granted.
     */
    void round() {
        long started = nanoTime.getAsLong();
        Set<Long> now;
        List<RestoredTarget> restored;
        long share;
        try {
            now = claims.renew(name, address, lease);
            share = claims.share();
            // Targets newly held join the scheduler from their last run; read before taking the lock, so the
            // deadline never waits for the database.
            Set<Long> gained = new HashSet<>(now);
            gained.removeAll(held);
            restored = gained.isEmpty() ? List.of() : runs.restore(gained);
        } catch (RuntimeException e) {
            // The deadline armed by the last renewal drops the targets in time if this goes on.
            LOG.log(Level.WARNING, "[server {0}] cannot renew its claims: {1}", name, e.getMessage());
            return;
        }
        long deadline = started + lease.toNanos() * 2 / 3;
        List<Long> excess;
        synchronized (this) {
            if (nanoTime.getAsLong() >= deadline) {
                LOG.log(
                        Level.WARNING,
                        "[server {0}] its renewal took more than two thirds of a lease: it does not" + " count",
                        name);
                dropAll();
                return;
            }
            sync(now, restored);
            dropDeadline = deadline;
            excess = giveAwayExcess(share);
        }
        ScheduledFuture<?> previous = dropTask;
        dropTask = watchdog.schedule(this::dropIfUnrenewed, deadline - nanoTime.getAsLong(), TimeUnit.NANOSECONDS);
        if (previous != null) {
            previous.cancel(false);
        }
        // Last, once the watchdog is armed for the new deadline: this call may hang on a silent database.
        release(excess);
    }

    /** How many targets a server above its share gives back in one round: a quarter of its share, at least one. */
    static int releasePerRound(long share) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, share / 4));
    }

    /**
     * Above its share, the server stops scheduling a few idle targets (furthest next run first) before their
     * claims go: from then on no run of them starts here, so the next holder, reading their last run from
     * the catalog, neither runs one twice in a period nor skips one.
     */
    private List<Long> giveAwayExcess(long share) {
        long over = held.size() - share;
        if (over <= 0) {
            return List.of();
        }
        List<Long> out = scheduler.giveAway(List.copyOf(held), (int) Math.min(over, releasePerRound(share)));
        out.forEach(held::remove);
        return out;
    }

    /** Gives the claims of targets no longer scheduled back; if that fails, the next round takes them up again. */
    private void release(List<Long> excess) {
        if (excess.isEmpty()) {
            return;
        }
        try {
            Set<Long> released = claims.release(name, excess);
            LOG.log(
                    Level.INFO,
                    "[server {0}] above its share: gave back {1} targets, holds {2}",
                    name,
                    String.valueOf(released.size()),
                    String.valueOf(held.size()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "[server {0}] cannot give back targets above its share: {1}", name, e.getMessage());
        }
    }

    /**
     * On the watchdog's own thread, so that a renewal hanging on a silent database cannot delay it: no
     * renewal for two thirds of a lease, so the server stops running its targets before any other server
     * can take one.
     */
    private synchronized void dropIfUnrenewed() {
        if (nanoTime.getAsLong() >= dropDeadline && !held.isEmpty()) {
            LOG.log(
                    Level.WARNING,
                    "[server {0}] no renewal for two thirds of its lease: stops running its {1} targets"
                            + " before the lease ends",
                    name,
                    held.size());
            dropAll();
        }
    }

    private void dropAll() {
        Set<Long> dropped = Set.copyOf(held);
        sync(Set.of(), List.of());
        if (!dropped.isEmpty()) {
            hooks.droppedUnrenewed(dropped);
        }
    }

    private void sync(Set<Long> now, List<RestoredTarget> restored) {
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
            List<RestoredTarget> adopted = restored.stream()
                    .filter(r -> gained.contains(r.target().id()))
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
                        LOG.log(
                                Level.DEBUG,
                                "[target {0}] held again while its last run goes on",
                                r.target().id());
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
        watchdog.shutdownNow();
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
            LOG.log(
                    Level.WARNING,
                    "[server {0}] cannot release its claims; they lapse after the lease: {1}",
                    name,
                    e.getMessage());
        }
    }

    /** Stops renewing without giving anything back: what a killed server leaves, for tests. */
    void abandon() {
        watchdog.shutdownNow();
        timer.shutdownNow();
    }
}
