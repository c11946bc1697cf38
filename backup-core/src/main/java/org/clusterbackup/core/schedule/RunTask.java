package org.clusterbackup.core.schedule;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.RunTrigger;

/**
 * One run on a worker thread. Whatever happens (a result, an exception, {@code null}, an {@code Error}, a
 * refusing executor) it ends exactly once through {@link Ended}, so the slot and the target are given back.
 */
final class RunTask implements WorkerTask {
    private static final System.Logger LOG = System.getLogger(RunTask.class.getName());

    /** Called once when the run has ended, on the thread that ran it (or refused it). */
    @FunctionalInterface
    interface Ended {
        void ended(RunTask task, RunResult result);
    }

    private final ScheduleEntry entry;
    private final ScheduledTarget target;
    private final RunTrigger trigger;
    private final Instant start;
    private final CompletableFuture<RunResult> future;
    private final RunExecutor runs;
    private final Ended ended;

    RunTask(
            ScheduleEntry entry,
            RunTrigger trigger,
            Instant start,
            CompletableFuture<RunResult> future,
            RunExecutor runs,
            Ended ended) {
        this.entry = entry;
        this.target = entry.target;
        this.trigger = trigger;
        this.start = start;
        this.future = future;
        this.runs = runs;
        this.ended = ended;
    }

    ScheduleEntry entry() {
        return entry;
    }

    RunTrigger trigger() {
        return trigger;
    }

    Instant start() {
        return start;
    }

    /** Completed with the result once the schedule has taken it in. */
    CompletableFuture<RunResult> future() {
        return future;
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
            ended.ended(
                    this, result != null ? result : RunResult.failed(FailureKind.OTHER, "the run ended with an error"));
        }
    }

    @Override
    public void rejected(RejectedExecutionException e) {
        LOG.log(Level.ERROR, entry.tag() + " executor refused the run; counted as FAILED/OTHER", e);
        ended.ended(this, RunResult.failed(FailureKind.OTHER, "executor refused the run: " + e));
    }
}
