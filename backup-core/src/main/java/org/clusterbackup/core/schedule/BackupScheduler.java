package org.clusterbackup.core.schedule;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 */
public final class BackupScheduler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BackupScheduler.class.getName());
    /** The timer re-reads the clock at least this often, so a step of the wall clock is noticed. */
    private static final long MAX_TIMER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** After a failed pass the timer waits this long, so a persistent bug is logged, not spun on. */
    private static final Duration PAUSE_AFTER_FAILED_PASS = Duration.ofSeconds(1);

    private final SchedulerConfig config;
    private final RunExecutor runs;
    private final Prober prober;
    private final Executor workers;
    private final Clock clock;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the timer should look again: a target added, removed or asked for, a run or probe ended. */
    private final Condition changed = lock.newCondition();
    /** Signalled when the last dispatched run has completely finished; {@link #close} waits on it. */
    private final Condition idle = lock.newCondition();
    private final Map<Long, ScheduleEntry> entries = new HashMap<>();
    private final NavigableSet<ScheduleEntry> dueQueue = new TreeSet<>(ScheduleEntry.BY_DUE);
    private final Deque<ScheduleEntry> manualQueue = new ArrayDeque<>();
    private final ProbeLoops probeLoops;
    private int runsInProgress;
    /** Runs dispatched whose future is not yet completed; outlives {@link #runsInProgress} by a moment. */
    private int unfinishedRuns;
    private boolean wakeRequested;
    private boolean closed;
    private Thread timer;

    private BackupScheduler(SchedulerConfig config, RunExecutor runs, Prober prober, Executor workers, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.prober = Objects.requireNonNull(prober, "prober");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.probeLoops = new ProbeLoops(new Backoff(config.retryInitial(), config.retryMax()),
                config.maxConcurrentProbes());
    }

    /**
     * A scheduler with its own timer thread ({@code backup-scheduler}, a daemon), for the server.
     *
     * @param workers runs and probes block on its threads; give it room for
     *        {@code maxConcurrentRuns + maxConcurrentProbes} tasks at once, or they wait in its queue.
     *        It stays the caller's: shut it down after {@link #close}.
     * @param restored every active target with its last run, from the catalog; see {@link #create}
     */
    public static BackupScheduler start(SchedulerConfig config, RunExecutor runs, Prober prober, Executor workers,
                                        Clock clock, Collection<RestoredTarget> restored) {
        BackupScheduler scheduler = create(config, runs, prober, workers, clock, restored);
        Thread t = new Thread(scheduler::timerLoop, "backup-scheduler");
        t.setDaemon(true);
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
     * <p>Each restored target resumes where the catalog left it: next run at last start + period; those
     * that fell due while the server was down run once, spread over
     * {@link SchedulerConfig#catchUpSpread()} in due order; those that never ran start within
     * {@link SchedulerConfig#firstRunSpread()}; those whose last run failed UNREACHABLE start RETRYING, with
     * their node probed at once.
     *
     * @throws IllegalArgumentException a target id appears twice
     */
    public static BackupScheduler create(SchedulerConfig config, RunExecutor runs, Prober prober, Executor workers,
                                         Clock clock, Collection<RestoredTarget> restored) {
        BackupScheduler scheduler = new BackupScheduler(config, runs, prober, workers, clock);
        scheduler.restore(List.copyOf(restored));
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
            Instant now = clock.instant();
            ScheduleEntry e = entries.get(target.id());
            if (e == null) {
                e = new ScheduleEntry(target);
                e.nextDue = now.plus(config.firstRunDelay());
                entries.put(e.id, e);
                dueQueue.add(e);
                // DEBUG: the control plane already logs the registration itself.
                LOG.log(Level.DEBUG, "{0} scheduled {1} every {2}, first run at {3}", e.tag(), target.label(),
                        ScheduledTarget.brief(target.every()), e.nextDue);
            } else if (e.removed) {
                // Its previous registration is still running: one run per target, so the new one waits for it.
                e.removed = false;
                e.target = target;
                e.rerunWhenDone = true;
                LOG.log(Level.INFO, "{0} registered again while its last run is in progress; runs again when that ends",
                        e.tag());
            } else {
                update(e, target, now);
            }
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
            restore(List.copyOf(targets));
            wake();
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
            dueQueue.remove(e);
            if (e.manualRequest != null) {
                manualQueue.remove(e);
                cancelled = e.manualRequest;
                e.manualRequest = null;
                e.manualRequestedAt = null;
            }
            if (e.probeLoop != null) {
                probeLoops.leave(e);
            }
            e.rerunWhenDone = false;
            if (e.running) {
                e.removed = true;
                LOG.log(Level.INFO, "{0} unscheduled while running: the run finishes, no other follows", e.tag());
            } else {
                entries.remove(id);
                LOG.log(Level.DEBUG, "{0} unscheduled", e.tag());
            }
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
            if (e.manualRequest == null) {
                dueQueue.remove(e);
                if (e.probeLoop != null) {
                    probeLoops.stopWaiting(e);
                }
                e.manualRequest = new CompletableFuture<>();
                e.manualRequestedAt = clock.instant();
                manualQueue.add(e);
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
        List<Task> tasks = new ArrayList<>();
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
        for (Task task : tasks) {
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
        List<CompletableFuture<RunResult>> cancelled = new ArrayList<>();
        Thread t;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (ScheduleEntry e : manualQueue) {
                cancelled.add(e.manualRequest);
                e.manualRequest = null;
                e.manualRequestedAt = null;
            }
            manualQueue.clear();
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
            awaitRuns();
        } catch (InterruptedException e) {
            interrupted = true;
        }
        lock.lock();
        try {
            if (unfinishedRuns > 0) {
                List<Long> ids = entries.values().stream().filter(e -> e.running).map(e -> e.id).sorted().toList();
                LOG.log(Level.WARNING,
                        "scheduler closed with {0} runs still in progress after waiting {1}{2}: targets {3}",
                        String.valueOf(unfinishedRuns), ScheduledTarget.brief(config.closeTimeout()),
                        interrupted ? " (interrupted)" : "", ids);
            }
        } finally {
            lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitRuns() throws InterruptedException {
        lock.lock();
        try {
            long nanos = saturatedNanos(config.closeTimeout());
            while (unfinishedRuns > 0 && nanos > 0) {
                nanos = idle.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    private void restore(List<RestoredTarget> restored) {
        Instant now = clock.instant();
        List<ScheduleEntry> overdue = new ArrayList<>();
        List<ScheduleEntry> neverRun = new ArrayList<>();
        lock.lock();
        try {
            for (RestoredTarget r : restored) {
                ScheduledTarget target = r.target();
                if (entries.containsKey(target.id())) {
                    throw new IllegalArgumentException("[target " + target.id() + "] restored twice");
                }
                ScheduleEntry e = new ScheduleEntry(target);
                entries.put(e.id, e);
                if (r.lastStart() == null) {
                    e.nextDue = now;
                    neverRun.add(e);
                    continue;
                }
                // A last start in the future means the clock was set back since; counting from it would
                // silence the target for that long.
                Instant base = r.lastStart().isAfter(now) ? now : r.lastStart();
                e.scheduleBase = base;
                e.nextDue = base.plus(target.every());
                if (r.lastResult().unreachable()) {
                    // The catalog keeps no probe history, so probe at once rather than guess how long it was down.
                    probeLoops.join(e, now, true);
                } else if (e.nextDue.isAfter(now)) {
                    dueQueue.add(e);
                } else {
                    overdue.add(e);
                }
            }
            overdue.sort(ScheduleEntry.BY_DUE);
            spread(overdue, now, config.catchUpSpread());
            neverRun.sort(ScheduleEntry.BY_DUE);
            spread(neverRun, now.plus(config.firstRunDelay()), config.firstRunSpread());
        } finally {
            lock.unlock();
        }
        if (!restored.isEmpty()) {
            // Counts as strings: MessageFormat would print 5000 as "5,000".
            LOG.log(Level.INFO, "scheduler restored {0} targets: {1} overdue, {2} never run, {3} retrying",
                    String.valueOf(restored.size()), String.valueOf(overdue.size()), String.valueOf(neverRun.size()),
                    String.valueOf(entries.values().stream().filter(e -> e.probeLoop != null).count()));
        }
    }

    /**
     * Gives the entries evenly spaced due times over {@code [now, now + over)} in their current order:
     * deterministic, distinct, and with the longest-waiting first, so a server that was down does not dial
     * every overdue node in the same instant.
     */
    private void spread(List<ScheduleEntry> list, Instant now, Duration over) {
        int n = list.size();
        for (int i = 0; i < n; i++) {
            ScheduleEntry e = list.get(i);
            // With no spread, keep the due times (all past): the queue then keeps them in due order.
            if (!over.isZero()) {
                e.nextDue = now.plus(over.multipliedBy(i).dividedBy(n));
            }
            dueQueue.add(e);
        }
    }

    private void update(ScheduleEntry e, ScheduledTarget target, Instant now) {
        ScheduledTarget old = e.target;
        e.target = target;
        if (old.equals(target)) {
            return;
        }
        LOG.log(Level.DEBUG, "{0} now {1} every {2}", e.tag(), target.label(), ScheduledTarget.brief(target.every()));
        if (e.probeLoop != null && !Endpoint.of(old).equals(Endpoint.of(target))) {
            // Probes of the old address say nothing about the new one: try the new one now.
            boolean wasWaiting = e.probeLoop.waiting.contains(e);
            probeLoops.leave(e);
            if (wasWaiting) {
                e.nextDue = now;
                e.queuedTrigger = RunTrigger.SCHEDULE;
                dueQueue.add(e);
            }
        } else if (e.probeLoop != null) {
            probeLoops.tighten(e.probeLoop, now);
        } else if (!old.every().equals(target.every()) && e.scheduleBase != null) {
            boolean queued = dueQueue.remove(e);
            e.nextDue = e.scheduleBase.plus(target.every());
            if (queued) {
                dueQueue.add(e);
            }
        }
    }

    private void dispatchProbes(Instant now, List<Task> tasks) {
        for (ProbeLoop loop : probeLoops.takeDue(now)) {
            tasks.add(new ProbeTask(loop));
        }
    }

    private void dispatchRuns(Instant now, List<Task> tasks) {
        while (runsInProgress < config.maxConcurrentRuns()) {
            ScheduleEntry e;
            RunTrigger trigger;
            CompletableFuture<RunResult> future;
            if (!manualQueue.isEmpty()) {
                e = manualQueue.poll();
                trigger = RunTrigger.MANUAL;
                future = e.manualRequest;
                e.manualRequest = null;
                e.manualRequestedAt = null;
            } else if (!dueQueue.isEmpty() && !dueQueue.first().nextDue.isAfter(now)) {
                e = dueQueue.pollFirst();
                trigger = e.queuedTrigger;
                future = new CompletableFuture<>();
            } else {
                return;
            }
            e.running = true;
            e.currentRun = future;
            runsInProgress++;
            unfinishedRuns++;
            LOG.log(Level.DEBUG, "{0} run starts ({1})", e.tag(), trigger);
            tasks.add(new RunTask(e, e.target, trigger, now, future));
        }
    }

    private Optional<Instant> nextWake() {
        Instant next = null;
        // With every slot taken, only the end of a run can start another, and that wakes the timer itself.
        if (runsInProgress < config.maxConcurrentRuns() && !dueQueue.isEmpty()) {
            next = dueQueue.first().nextDue;
        }
        Instant probe = probeLoops.nextProbeAt();
        if (probe != null && (next == null || probe.isBefore(next))) {
            next = probe;
        }
        return Optional.ofNullable(next);
    }

    private void finishRun(ScheduleEntry e, RunTrigger trigger, Instant start, RunResult result) {
        Instant end = clock.instant();
        runsInProgress--;
        e.running = false;
        e.currentRun = null;
        wake();
        if (e.removed) {
            if (entries.get(e.id) == e) {
                entries.remove(e.id);
            }
            return;
        }
        boolean wasRetrying = e.probeLoop != null;
        if (result.unreachable()) {
            e.rerunWhenDone = false;
            probeLoops.join(e, end, false);
            if (!wasRetrying) {
                LOG.log(Level.INFO, "{0} {1} unreachable ({2}); retrying when it answers, first probe at {3}",
                        e.tag(), Endpoint.of(e.target), result.error(), e.probeLoop.nextProbeAt);
            }
            return;
        }
        if (wasRetrying) {
            probeLoops.leave(e);
            LOG.log(Level.INFO, "{0} reached its node again ({1}): back on its schedule", e.tag(), result.outcome());
        }
        if (e.rerunWhenDone) {
            e.rerunWhenDone = false;
            e.nextDue = end;
        } else if (trigger != RunTrigger.MANUAL || wasRetrying || !e.nextDue.isAfter(end)) {
            // max(): a run longer than its period is followed at once by the next, never overlapped by it.
            Instant byPeriod = start.plus(e.target.every());
            e.nextDue = byPeriod.isAfter(end) ? byPeriod : end;
            e.scheduleBase = start;
        }
        e.queuedTrigger = RunTrigger.SCHEDULE;
        dueQueue.add(e);
        if (result.outcome() != Outcome.FAILED || result.failure() == FailureKind.REFUSED) {
            // The agent answered: its node's waiting targets need not wait for the next probe.
            queueRetries(probeLoops.reached(Endpoint.of(e.target), e.tag() + " reached it"), end);
        }
    }

    private void finishProbe(ProbeLoop loop, boolean answered) {
        wake();
        Instant now = clock.instant();
        queueRetries(probeLoops.probeEnded(loop, answered, now), now);
    }

    /** Queues targets whose node answered again to run now, in due order with the rest. */
    private void queueRetries(List<ScheduleEntry> released, Instant now) {
        for (ScheduleEntry e : released) {
            e.nextDue = now;
            e.queuedTrigger = RunTrigger.RETRY;
            dueQueue.add(e);
        }
    }

    private void timerLoop() {
        LOG.log(Level.DEBUG, "scheduler timer started");
        while (true) {
            Optional<Instant> next;
            try {
                next = runDue();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "scheduler pass failed; trying again in " + PAUSE_AFTER_FAILED_PASS, e);
                next = Optional.of(clock.instant().plus(PAUSE_AFTER_FAILED_PASS));
            }
            lock.lock();
            try {
                if (closed) {
                    LOG.log(Level.DEBUG, "scheduler timer stopped");
                    return;
                }
                if (!wakeRequested) {
                    long nanos = next.map(this::nanosUntil).orElse(MAX_TIMER_WAIT_NANOS);
                    if (nanos > 0) {
                        changed.awaitNanos(nanos);
                    }
                }
            } catch (InterruptedException e) {
                // Only close() may stop this thread, and it does so with the flag, not an interrupt.
                LOG.log(Level.WARNING, "scheduler timer interrupted; it keeps running until the scheduler is closed");
            } finally {
                lock.unlock();
            }
        }
    }

    private long nanosUntil(Instant when) {
        Duration d = Duration.between(clock.instant(), when);
        if (d.isNegative()) {
            return 0;
        }
        return Math.min(saturatedNanos(d), MAX_TIMER_WAIT_NANOS);
    }

    private static long saturatedNanos(Duration d) {
        return d.compareTo(Duration.ofDays(365)) > 0 ? TimeUnit.DAYS.toNanos(365) : d.toNanos();
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

    /** Work for the executor, which may refuse it. */
    private interface Task extends Runnable {
        void rejected(RejectedExecutionException e);
    }

    private final class RunTask implements Task {
        private final ScheduleEntry entry;
        private final ScheduledTarget target;
        private final RunTrigger trigger;
        private final Instant start;
        private final CompletableFuture<RunResult> future;

        RunTask(ScheduleEntry entry, ScheduledTarget target, RunTrigger trigger, Instant start,
                CompletableFuture<RunResult> future) {
            this.entry = entry;
            this.target = target;
            this.trigger = trigger;
            this.start = start;
            this.future = future;
        }

        @Override
        public void run() {
            RunResult result = null;
            try {
                result = runs.run(target, trigger);
                if (result == null) {
                    LOG.log(Level.ERROR, "{0} RunExecutor returned no result; counted as FAILED/OTHER", entry.tag());
                    result = RunResult.failed(FailureKind.OTHER, "the run returned no result");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result = RunResult.failed(FailureKind.OTHER, "interrupted");
            } catch (Exception e) {
                LOG.log(Level.ERROR, entry.tag() + " run threw; counted as FAILED/OTHER", e);
                result = RunResult.failed(FailureKind.OTHER, e.toString());
            } finally {
                // Also on an Error: the slot and the target must be given back, or the schedule stalls.
                finish(result != null ? result : RunResult.failed(FailureKind.OTHER, "the run ended with an error"));
            }
        }

        @Override
        public void rejected(RejectedExecutionException e) {
            LOG.log(Level.ERROR, entry.tag() + " executor refused the run; counted as FAILED/OTHER", e);
            finish(RunResult.failed(FailureKind.OTHER, "executor refused the run: " + e));
        }

        private void finish(RunResult result) {
            lock.lock();
            try {
                finishRun(entry, trigger, start, result);
            } finally {
                lock.unlock();
            }
            // Outside the lock: completing runs the callers' callbacks on this thread.
            future.complete(result);
            lock.lock();
            try {
                if (--unfinishedRuns == 0) {
                    idle.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private final class ProbeTask implements Task {
        private final ProbeLoop loop;

        ProbeTask(ProbeLoop loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            boolean answered = false;
            try {
                answered = prober.answers(loop.endpoint.node(), loop.endpoint.port());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.log(Level.DEBUG, "{0} probe failed: {1}", loop.endpoint, e.toString());
            } finally {
                finish(answered);
            }
        }

        @Override
        public void rejected(RejectedExecutionException e) {
            LOG.log(Level.WARNING, "{0} executor refused the probe; counted as no answer: {1}", loop.endpoint,
                    e.toString());
            finish(false);
        }

        private void finish(boolean answered) {
            lock.lock();
            try {
                finishProbe(loop, answered);
            } finally {
                lock.unlock();
            }
        }
    }
}
