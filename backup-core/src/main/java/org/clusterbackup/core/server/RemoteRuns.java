package org.clusterbackup.core.server;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.ExecutionQuery;
import org.clusterbackup.core.catalog.RunRequests;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.RefusedException;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.schedule.BackupScheduler;

/**
 * Manual runs between the servers of a cluster, through the catalog they share. A server asked to run a
 * target another one holds records a request and waits; every server polls for requests on the targets it
 * holds, runs them as its own manual runs and answers with the execution. Both sides poll every
 * {@link #POLL}: no connection between servers, no trust between their identities, and a request survives
 * its holder's death (the next holder takes it).
 */
final class RemoteRuns implements AutoCloseable {
    /** How often a server looks for requests to run and for answers to its own. */
    static final Duration POLL = Duration.ofMillis(500);

    private static final System.Logger LOG = System.getLogger(RemoteRuns.class.getName());

    private final RunRequests requests;
    private final Catalog catalog;
    private final BackupScheduler scheduler;
    private final ScheduledRuns runs;
    private final ClaimKeeper keeper;
    /** How long a request may wait with no live holder working on it before its asker gives up. */
    private final Duration pickup;

    private final LongSupplier nanoTime;
    private final ScheduledExecutorService timer;
    private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
    /** Answers the catalog did not take (unreachable for a moment): sent again at the next poll. */
    private final Map<Long, Answer> unsent = new ConcurrentHashMap<>();
    /** This process among the cluster's: a server restarted under its name is another one. */
    private volatile String process;

    private volatile String name;

    private record Waiting(CompletableFuture<ExecutionInfo> result, Target target, long[] idleSince) {}

    private record Answer(Long executionId, String error) {}

    RemoteRuns(
            RunRequests requests,
            Catalog catalog,
            BackupScheduler scheduler,
            ScheduledRuns runs,
            ClaimKeeper keeper,
            Duration lease,
            LongSupplier nanoTime) {
        this.requests = requests;
        this.catalog = catalog;
        this.scheduler = scheduler;
        this.runs = runs;
        this.keeper = keeper;
        this.pickup = lease.multipliedBy(2).plusSeconds(5);
        this.nanoTime = nanoTime;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "backup-run-requests");
            t.setDaemon(true);
            return t;
        });
    }

    /** Once the server knows its name. */
    void start(String serverName) {
        this.name = serverName;
        this.process = serverName + "#" + UUID.randomUUID().toString().substring(0, 8);
        timer.scheduleWithFixedDelay(this::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks the target's holder, whichever server that is, to run it; completes with the execution it wrote. */
    CompletableFuture<ExecutionInfo> submit(Target target) {
        CompletableFuture<ExecutionInfo> result = new CompletableFuture<>();
        long id = requests.submit(target.id(), process);
        waiting.put(id, new Waiting(result, target, new long[] {nanoTime.getAsLong()}));
        LOG.log(Level.INFO, "[target {0}] run asked of its holder (request {1})", target.id(), id);
        return result;
    }

    private void poll() {
        try {
            flushAnswers();
            takeRequests();
            collectAnswers();
        } catch (RuntimeException e) {
            // The catalog may be out of reach for a while: the next poll tries again.
            LOG.log(Level.WARNING, "[server {0}] run requests: {1}", name, e.getMessage());
        }
    }

    /** Runs the requests for targets this server holds, as manual runs of its own. */
    private void takeRequests() {
        for (RunRequests.Taken t : requests.take(name, process, keeper::holds)) {
            Target target = catalog.target(t.targetId()).orElse(null);
            CompletableFuture<ExecutionInfo> run;
            try {
                if (target == null) {
                    throw new RefusedException(ErrorCode.NOT_FOUND, "target " + t.targetId() + " is gone");
                }
                run = runs.runNow(scheduler, target);
            } catch (RefusedException e) {
                // Lost between the claim and the scheduler: the next holder takes it.
                requests.putBack(t.id(), process);
                continue;
            }
            LOG.log(Level.INFO, "[target {0}] runs for request {1} of another server", t.targetId(), t.id());
            run.whenComplete((info, failure) -> answer(t.id(), info, failure));
        }
    }

    private void answer(long id, ExecutionInfo done, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        unsent.put(id, done != null ? new Answer(done.id(), null) : new Answer(null, describe(cause)));
        try {
            flushAnswers();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "[server {0}] cannot answer run request {1} yet: {2}", name, id, e.getMessage());
        }
    }

    private String describe(Throwable failure) {
        return failure instanceof UnrecordedRunException
                ? failure.getMessage()
                : "the run could not complete on server " + name + ": " + failure.getMessage();
    }

    private void flushAnswers() {
        for (Map.Entry<Long, Answer> e : Map.copyOf(unsent).entrySet()) {
            requests.answer(
                    e.getKey(),
                    process,
                    e.getValue().executionId(),
                    e.getValue().error());
            unsent.remove(e.getKey());
        }
    }

    /** Hands the answers to this server's requests to their callers; gives up on those nobody works on. */
    private void collectAnswers() {
        if (waiting.isEmpty()) {
            return;
        }
        // Requests submitted while this poll reads are judged at the next one.
        Set<Long> asked = Set.copyOf(waiting.keySet());
        Set<Long> listed = new HashSet<>();
        for (RunRequests.State s : requests.states(process)) {
            listed.add(s.id());
            Waiting w = waiting.get(s.id());
            if (w == null) {
                continue;
            } else if (s.answered()) {
                waiting.remove(s.id());
                requests.forget(s.id());
                complete(w, s);
            } else if (s.worked()) {
                w.idleSince()[0] = nanoTime.getAsLong();
            } else if (nanoTime.getAsLong() - w.idleSince()[0] > pickup.toNanos() && requests.withdraw(s.id())) {
                waiting.remove(s.id());
                w.result()
                        .completeExceptionally(new RefusedException(
                                ErrorCode.UNREACHABLE,
                                "no server of the cluster"
                                        + " took the run of target "
                                        + w.target().label() + " within " + pickup.toSeconds() + " s (none"
                                        + " holds it, or its holder cannot reach the catalog); it was not run"));
            }
        }
        for (Long id : asked) {
            if (!listed.contains(id)) {
                Waiting w = waiting.remove(id);
                if (w != null) {
                    w.result()
                            .completeExceptionally(new RefusedException(
                                    ErrorCode.FAILED,
                                    "the run request of target " + w.target().label() + " vanished from the catalog"));
                }
            }
        }
    }

    private void complete(Waiting w, RunRequests.State s) {
        if (s.executionId() == null) {
            w.result().completeExceptionally(new UnrecordedRunException(s.error(), null));
            return;
        }
        List<Execution> found =
                catalog.executions(new ExecutionQuery(s.targetId(), null, null, null, s.executionId() + 1, 1));
        if (found.isEmpty() || found.get(0).id() != s.executionId()) {
            w.result()
                    .completeExceptionally(new RefusedException(
                            ErrorCode.FAILED,
                            "execution " + s.executionId() + " of target "
                                    + w.target().label() + " is not in the catalog"));
        } else {
            w.result().complete(Views.execution(found.get(0)));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
            flushAnswers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "[server {0}] cannot answer {1} run requests; the next holder runs them again: {2}",
                    name,
                    unsent.size(),
                    e.getMessage());
        }
        for (Waiting w : waiting.values()) {
            w.result()
                    .completeExceptionally(new RefusedException(
                            ErrorCode.FAILED,
                            "the server stopped while the run" + " of target "
                                    + w.target().label() + " was under way on another server; see its log"));
        }
    }
}
