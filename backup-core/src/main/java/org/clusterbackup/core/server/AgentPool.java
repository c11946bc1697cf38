package org.clusterbackup.core.server;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.clusterbackup.core.concurrent.DaemonThreads;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.net.BlockingConnection;

/**
 * The server's connections to its agents, kept open between backup runs (docs/PROTOCOL.md, "Transport"): a
 * run takes an idle connection to its agent's node:port, or dials a new one, and gives it back only when its
 * conversation ended cleanly. A connection is reused only while the agent's pin in the catalog is still the
 * identity it was held to when it was made. Bounded: at most {@code maxIdle} idle connections per agent, each
 * closed after {@link #IDLE_EXPIRY} unused, all of them closed with the server.
 *
 * <p>Thread-safe: every run thread takes and gives back here.
 */
final class AgentPool implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AgentPool.class.getName());

    /**
     * How long an idle connection is kept: long enough for a target with a 1-minute period to find its
     * connection again, well before the agent's own idle timeout (120 s) closes it.
     */
    static final Duration IDLE_EXPIRY = Duration.ofSeconds(90);

    /** Idle connections per agent at most, whatever the server's concurrency: agents cap 64 per IP address. */
    static final int MAX_IDLE_PER_AGENT = 8;

    private static final long SWEEP_SECONDS = 10;

    private final AgentDialer dialer;
    private final int maxIdle;
    private final long expiryNanos;
    private final LongSupplier nanos;
    private final Map<Key, ArrayDeque<Idle>> idle = new HashMap<>();
    private final ScheduledExecutorService sweeper;
    private boolean closed;
    private final AtomicLong reused = new AtomicLong();
    private final AtomicLong staleRetries = new AtomicLong();

    private record Key(String node, int port) {}

    private record Idle(AgentDialer.Dialled dialled, long since) {}

    /**
     * @param maxIdle idle connections kept per agent (the server's concurrency, at most
     *        {@link #MAX_IDLE_PER_AGENT})
     */
    AgentPool(AgentDialer dialer, int maxIdle, Duration expiry, LongSupplier nanos) {
        this.dialer = dialer;
        this.maxIdle = Math.max(1, Math.min(maxIdle, MAX_IDLE_PER_AGENT));
        this.expiryNanos = expiry.toNanos();
        this.nanos = nanos;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("agent-pool-sweeper"));
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * A connection to the agent at node:port for one conversation: an idle one whose agent is still pinned to
     * the identity it showed, or else a new one (which meets every check of a new connection).
     */
    Lease take(String node, int port) throws RunFailure {
        Key key = new Key(node, port);
        Idle candidate = poll(key);
        if (candidate != null) {
            Optional<String> pin;
            try {
                pin = dialer.pin(node, port);
            } catch (RuntimeException e) { // the catalog failed: the run fails, and the connection is not leaked
                candidate.dialled().connection().close();
                throw e;
            }
            if (pin.isPresent() && pin.get().equals(candidate.dialled().agent().value())) {
                reused.incrementAndGet();
                return new Lease(key, candidate.dialled(), true);
            }
            // Re-pinned (or the pin is gone): no connection made under the old pin is used again.
            LOG.log(
                    Level.INFO,
                    "{0}: its pinned identity changed; its open connections are closed",
                    AgentDialer.label(node, port));
            candidate.dialled().connection().close();
            forget(key);
        }
        return new Lease(key, dial(key), false);
    }

    private AgentDialer.Dialled dial(Key key) throws RunFailure {
        try {
            return dialer.dial(key.node(), key.port());
        } catch (RunFailure f) {
            if (f.kind() == FailureKind.UNREACHABLE) {
                forget(key); // whatever is still open to it is most likely dead too
            }
            throw f;
        }
    }

    /** The newest idle connection of {@code key} that has not expired; expired ones are closed. */
    private Idle poll(Key key) {
        List<Idle> expired = new ArrayList<>();
        Idle found = null;
        synchronized (this) {
            ArrayDeque<Idle> queue = idle.get(key);
            if (queue != null) {
                long now = nanos.getAsLong();
                while (!queue.isEmpty() && now - queue.peekFirst().since() >= expiryNanos) {
                    expired.add(queue.pollFirst());
                }
                found = queue.pollLast();
                if (queue.isEmpty()) {
                    idle.remove(key);
                }
            }
        }
        closeAll(expired);
        return found;
    }

    private void give(Key key, AgentDialer.Dialled dialled) {
        Idle dropped = null;
        synchronized (this) {
            if (!closed) {
                ArrayDeque<Idle> queue = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
                if (queue.size() >= maxIdle) {
                    dropped = queue.pollFirst();
                }
                queue.addLast(new Idle(dialled, nanos.getAsLong()));
                dialled = null;
            }
        }
        if (dialled != null) {
            dialled.connection().close();
        }
        if (dropped != null) {
            dropped.dialled().connection().close();
        }
    }

    /** Closes every idle connection to {@code key}. */
    private void forget(Key key) {
        ArrayDeque<Idle> gone;
        synchronized (this) {
            gone = idle.remove(key);
        }
        if (gone != null) {
            closeAll(gone);
        }
    }

    /** Closes the idle connections past their expiry, of every agent. */
    void sweep() {
        List<Idle> expired = new ArrayList<>();
        synchronized (this) {
            long now = nanos.getAsLong();
            for (Iterator<ArrayDeque<Idle>> it = idle.values().iterator(); it.hasNext(); ) {
                ArrayDeque<Idle> queue = it.next();
                while (!queue.isEmpty() && now - queue.peekFirst().since() >= expiryNanos) {
                    expired.add(queue.pollFirst());
                }
                if (queue.isEmpty()) {
                    it.remove();
                }
            }
        }
        closeAll(expired);
    }

    private static void closeAll(Iterable<Idle> connections) {
        for (Idle i : connections) {
            i.dialled().connection().close();
        }
    }

    /** Idle connections held now, over every agent. */
    synchronized int idleCount() {
        return idle.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    /** Runs that used a connection kept from an earlier run. */
    long reusedCount() {
        return reused.get();
    }

    /**
     * Connections found closed by their agent when a run sent a request on them (a kept one, or the one that
     * carried a delta that did not apply), and replaced by a new one.
     */
    long staleRetries() {
        return staleRetries.get();
    }

    @Override
    public void close() {
        List<Idle> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
        }
        sweeper.shutdownNow();
        closeAll(all);
    }

    /** One conversation's connection; given back (or closed) by {@link #release}. */
    final class Lease {
        private final Key key;
        private AgentDialer.Dialled current;
        private boolean reused;

        private Lease(Key key, AgentDialer.Dialled current, boolean reused) {
            this.key = key;
            this.current = current;
            this.reused = reused;
        }

        BlockingConnection connection() {
            return current.connection();
        }

        /** True while the connection is one kept from an earlier run. */
        boolean reused() {
            return reused;
        }

        /**
         * Replaces a connection that the agent closed meanwhile (restarted, evicted it, timed it out) by a new
         * one. Not a failure of anything: logged for debugging only.
         */
        void redial() throws RunFailure {
            current.connection().close();
            reused = false;
            staleRetries.incrementAndGet();
            LOG.log(
                    Level.DEBUG,
                    "{0}: a connection kept open was closed by the agent; dialling a new one",
                    AgentDialer.label(key.node(), key.port()));
            current = dial(key);
        }

        /** Gives the connection back when its conversation ended cleanly; closes it otherwise. */
        void release(boolean clean) {
            if (clean && !current.connection().isClosed()) {
                give(key, current);
            } else {
                current.connection().close();
            }
        }
    }
}
