package org.clusterbackup.core.schedule;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.clusterbackup.core.concurrent.DaemonThreads;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.RunTrigger;

/**
 * The server's schedule: decides when each target runs and hands the runs to a {@link RunExecutor}.
 *
 * <ul>
 *   <li>Targets wait in a priority queue on their next due time, so a pass costs O(log n) per run
 *       started, never a scan of every target. The next due time is {@code max(start + every, end)}: the
 *       period counts from the previous start, and a run longer than its period is followed at once by
 *       the next, never overlapped by it.</li>
 *   <li>At most one run per target, and at most {@link SchedulerConfig#maxConcurrentRuns()} in all; due
 *       targets wait for a slot in due order, manual runs ahead of them.</li>
 *   <li>A run that fails {@link FailureKind#UNREACHABLE} makes its target RETRYING: one probe loop
 *       per node:port probes with backoff, and when a probe answers every waiting target of that node
 *       runs (trigger {@link RunTrigger#RETRY}). Any run that reaches the agent (stored, unchanged, or
 *       refused by it) counts as an answer too. Other failures try again at the normal period.</li>
 * </ul>
 *
 * <p>Time comes from the {@link Clock}; work runs on the {@link Executor}: both injected. A scheduler made
 * by {@link #start} has one timer thread that calls {@link #runDue()} whenever the earliest due time comes
 * or something changes. One made by {@link #create} has no thread: its owner moves the clock and calls
 * {@link #runDue()}, which is how the tests drive it through hours in milliseconds.
 *
 * <p>Thread-safe: {@link #add}, {@link #remove}, {@link #runNow} and {@link #status} may be called from
 * any thread while runs end on worker threads. One lock guards all state; nothing slow runs under it.
 *
 * <p>Its parts: {@link ScheduleQueues} (where each target waits), {@link TargetHandover} (targets adopted from
 * the catalog or given away, with {@link CatchUpPlan}: where they resume), {@link ProbeLoops} (unreachable
 * nodes), {@link RunsInFlight} (run slots, and what close waits for), {@link SchedulerTimer} (the thread),
 * {@link RunTask} and {@link ProbeTask} (the work on the executor).
 */
public final class BackupScheduler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BackupScheduler.class.getName());

    private final SchedulerConfig config;
    private final RunExecutor runs;
    private final Prober prober;
    private final Executor workers;
    private final Clock clock;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the timer should look again: a target added, removed or asked for, a run or probe ended. */
    private final Condition changed = lock.newCondition();
    /** Signalled when the last dispatched run has completely finished; {@link #close} waits on it. */
    private final RunsInFlight inFlight = new RunsInFlight(lock.newCondition());

    private final ScheduleQueues queues;
    // The queues' parts, named as the scheduler uses them.
    private final Map<Long, ScheduleEntry> entries;
    private final NavigableSet<ScheduleEntry> dueQueue;
    private final ProbeLoops probeLoops;
    private final TargetHandover handover;

    private boolean wakeRequested;
    private boolean closed;
    private Thread timer;

    private BackupScheduler(SchedulerConfig config, RunExecutor runs, Prober prober, Executor workers, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.prober = Objects.requireNonNull(prober, "prober");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queues = new ScheduleQueues(
                new ProbeLoops(new Backoff(config.retryInitial(), config.retryMax()), config.maxConcurrentProbes()));
        this.entries = queues.entries;
        this.dueQueue = queues.dueQueue;
        this.probeLoops = queues.probeLoops;
        this.handover = new TargetHandover(queues, config);
    }

    /**
     * A scheduler with its own timer thread ({@code backup-scheduler}, a daemon), for the server.
     *
     * @param workers runs and probes block on its threads; give it room for
     *        {@code maxConcurrentRuns + maxConcurrentProbes} tasks at once, or they wait in its queue.
     *        It stays the caller's: shut it down after {@link #close}.
     * @param restored every active target with its last run, from the catalog; see {@link #create}
     */
    public static BackupScheduler start(
            SchedulerConfig config,
            RunExecutor runs,
            Prober prober,
            Executor workers,
            Clock clock,
            Collection<RestoredTarget> restored) {
        BackupScheduler scheduler = create(config, runs, prober, workers, clock, restored);
        Thread t = DaemonThreads.named("backup-scheduler")
                .newThread(new SchedulerTimer(
                        clock,
                        scheduler.lock,
                        scheduler.changed,
                        scheduler::runDue,
                        () -> scheduler.closed,
                        () -> scheduler.wakeRequested));
        scheduler.lock.lock();
        try {
            scheduler.timer = t;
        } finally {
            scheduler.lock.unlock();
        }
        t.start();
        return scheduler;
    }

    /**
     * A scheduler without a thread: nothing happens until its owner calls {@link #runDue()}. For tests and
     * simulations with a manual clock.
     *
     * <p>Each restored target resumes where the catalog left it, as {@link CatchUpPlan} says: next run at
     * last start + period; those that fell due while the server was down run once, spread over
     * {@link SchedulerConfig#catchUpSpread()} in due order; those that never ran start within
     * {@link SchedulerConfig#firstRunSpread()}; those whose last run failed UNREACHABLE start RETRYING, with
     * their node probed at once.
     *
     * @throws IllegalArgumentException a target id appears twice
     */
    public static BackupScheduler create(
            SchedulerConfig config,
            RunExecutor runs,
            Prober prober,
            Executor workers,
            Clock clock,
            Collection<RestoredTarget> restored) {
        BackupScheduler scheduler = new BackupScheduler(config, runs, prober, workers, clock);
        scheduler.adopt(restored);
        return scheduler;
    }

    /**
     * Schedules a target: a new or reactivated one runs as soon as a slot is free (at once when one is).
     * For a target already scheduled, takes its new settings: a new period counts from its last start.
     *
     * @throws IllegalStateException the scheduler is closed
     */
    public void add(ScheduledTarget target) {
        Objects.requireNonNull(target, "target");
        lock.lock();
        try {
            ensureOpen();
            queues.add(target, clock.instant(), config.firstRunDelay());
            wake();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes over targets another server ran (it held their claims): each resumes from its last run as at
     * start-up ({@link #create}), so one taken over between two runs is not run twice in a period.
     *
     * @throws IllegalArgumentException a target is already scheduled
     * @throws IllegalStateException the scheduler is closed
     */
    public void adopt(Collection<RestoredTarget> targets) {
        lock.lock();
        try {
            ensureOpen();
            handover.adopt(List.copyOf(targets), clock.instant());
            wake();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives away up to {@code count} of these targets (another server of the cluster takes their claims):
     * the idle ones whose next run is furthest away, never one running or whose manual run waits for a slot.
     * Each is unscheduled as by {@link #remove}; its next holder resumes it from its last run.
     *
     * @return the ids unscheduled
     */
    public List<Long> giveAway(Collection<Long> ids, int count) {
        lock.lock();
        try {
            List<Long> out = handover.giveAway(ids, count);
            if (!out.isEmpty()) {
                wake();
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Unschedules a target. Whatever was pending for it is dropped (a manual run waiting for a slot
     * completes exceptionally with a {@link CancellationException}); a run in progress finishes, and
     * nothing follows it.
     *
     * @return false when the target was not scheduled
     */
    public boolean remove(long id) {
        CompletableFuture<RunResult> cancelled = null;
        lock.lock();
        try {
            ScheduleEntry e = entries.get(id);
            if (e == null || e.removed) {
                return false;
            }
            cancelled = queues.drop(e);
            wake();
        } finally {
            lock.unlock();
        }
        if (cancelled != null) {
            cancelled.completeExceptionally(
                    new CancellationException("[target " + id + "] unscheduled before its manual run started"));
        }
        return true;
    }

    /**
     * Runs a target now, or joins its run in progress. The run takes a slot like any other, ahead of
     * scheduled runs waiting for one. It leaves the schedule as it was, with two exceptions: a run that
     * finds the node unreachable makes the target RETRYING (as any run would), and a run of a RETRYING
     * target that does not returns it to its schedule, counted from this run's start. If the scheduled
     * time comes while it runs, this run stands for it rather than being followed by another.
     *
     * @return completes with the run's result (a failing {@link RunExecutor} gives FAILED/OTHER, not an
     *         exceptional completion); each caller gets its own copy, so a caller's {@code cancel} or
     *         {@code orTimeout} cannot disturb the run or other callers
     * @throws NoSuchElementException the target is not scheduled
     * @throws IllegalStateException the scheduler is closed
     */
    public CompletableFuture<RunResult> runNow(long id) {
        lock.lock();
        try {
            ensureOpen();
            ScheduleEntry e = entries.get(id);
            if (e == null || e.removed) {
                throw new NoSuchElementException("[target " + id + "] is not scheduled");
            }
            if (e.running) {
                return e.currentRun.copy();
            }
            if (queues.queueManual(e, clock.instant())) {
                wake();
            }
            return e.manualRequest.copy();
        } finally {
            lock.unlock();
        }
    }

    /** Where a target stands in the schedule; empty when it is not scheduled. */
    public Optional<TargetStatus> status(long id) {
        lock.lock();
        try {
            ScheduleEntry e = entries.get(id);
            return e == null || e.removed ? Optional.empty() : Optional.of(e.status());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts every run and probe that is due by the clock's time and has a free slot, and tells when to
     * look again. A scheduler made by {@link #start} calls this on its own thread; one made by
     * {@link #create} relies on its owner to call it after moving the clock and after runs end.
     *
     * @return the earliest time something more becomes due; empty when only the end of a run or probe (or
     *         a call of add/runNow) can make anything due, or when closed
     */
    public Optional<Instant> runDue() {
        List<WorkerTask> tasks = new ArrayList<>();
        Optional<Instant> next;
        lock.lock();
        try {
            wakeRequested = false;
            if (closed) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            dispatchProbes(now, tasks);
            dispatchRuns(now, tasks);
            next = nextWake();
        } finally {
            lock.unlock();
        }
        // Outside the lock: a direct executor runs the task right here, and a slow executor must not
        // hold up the control plane.
        for (WorkerTask task : tasks) {
            try {
                workers.execute(task);
            } catch (RejectedExecutionException e) {
                task.rejected(e);
            }
        }
        return next;
    }

    /**
     * Stops starting runs and probes, cancels manual runs still waiting for a slot, and waits up to
     * {@link SchedulerConfig#closeTimeout()} for runs in progress to end; logs a warning naming them if
     * they do not. Does not shut down the executor, which the caller owns.
     */
    @Override
    public void close() {
        List<CompletableFuture<RunResult>> cancelled;
        Thread t;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            cancelled = queues.dropManualRuns();
            changed.signalAll();
            t = timer;
        } finally {
            lock.unlock();
        }
        for (CompletableFuture<RunResult> f : cancelled) {
            f.completeExceptionally(new CancellationException("scheduler closed before the manual run started"));
        }
        boolean interrupted = false;
        try {
            if (t != null && t != Thread.currentThread()) {
                // The timer holds nothing slow; it ends as soon as it sees the flag.
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        lock.lock();
        try {
            interrupted = interrupted || !inFlight.await(config.closeTimeout());
            if (inFlight.unfinished() > 0) {
                LOG.log(
                        Level.WARNING,
                        "scheduler closed with {0} runs still in progress after waiting {1}{2}: targets {3}",
                        String.valueOf(inFlight.unfinished()),
                        ScheduledTarget.brief(config.closeTimeout()),
                        interrupted ? " (interrupted)" : "",
                        queues.runningIds());
            }
        } finally {
            lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatchProbes(Instant now, List<WorkerTask> tasks) {
        for (ProbeLoop loop : probeLoops.takeDue(now)) {
            tasks.add(new ProbeTask(loop, prober, this::probeEnded));
        }
    }

    private void dispatchRuns(Instant now, List<WorkerTask> tasks) {
        while (inFlight.slotFree(config.maxConcurrentRuns())) {
            ScheduleQueues.Start start = queues.startNext(now);
            if (start == null) {
                return;
            }
            inFlight.dispatched();
            LOG.log(Level.DEBUG, "{0} run starts ({1})", start.entry().tag(), start.trigger());
            tasks.add(new RunTask(start.entry(), start.trigger(), now, start.future(), runs, this::runEnded));
        }
    }

    private Optional<Instant> nextWake() {
        Instant next = null;
        // With every slot taken, only the end of a run can start another, and that wakes the timer itself.
        if (inFlight.slotFree(config.maxConcurrentRuns()) && !dueQueue.isEmpty()) {
            next = dueQueue.first().nextDue;
        }
        Instant probe = probeLoops.nextProbeAt();
        if (probe != null && (next == null || probe.isBefore(next))) {
            next = probe;
        }
        return Optional.ofNullable(next);
    }

    /** Called with the lock held. */
    private void wake() {
        wakeRequested = true;
        changed.signalAll();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("scheduler is closed");
        }
    }

    /** A run has ended on a worker thread: the schedule takes the result, then its waiters get it. */
    private void runEnded(RunTask task, RunResult result) {
        lock.lock();
        try {
            inFlight.ended();
            ScheduleEntry e = task.entry();
            e.running = false;
            e.currentRun = null;
            wake();
            queues.runEnded(e, task.trigger(), task.start(), clock.instant(), result);
        } finally {
            lock.unlock();
        }
        // Outside the lock: completing runs the callers' callbacks on this thread.
        task.future().complete(result);
        lock.lock();
        try {
            inFlight.completed();
        } finally {
            lock.unlock();
        }
    }

    private void probeEnded(ProbeLoop loop, boolean answered) {
        lock.lock();
        try {
            wake();
            queues.probeEnded(loop, answered, clock.instant());
        } finally {
            lock.unlock();
        }
    }
}
