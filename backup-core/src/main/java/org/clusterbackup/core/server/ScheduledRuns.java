package org.clusterbackup.core.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RefusedException;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.model.TargetState;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.schedule.BackupScheduler;
import org.clusterbackup.core.schedule.Prober;
import org.clusterbackup.core.schedule.RestoredTarget;
import org.clusterbackup.core.schedule.RunExecutor;
import org.clusterbackup.core.schedule.RunResult;
import org.clusterbackup.core.schedule.ScheduledTarget;

/**
 * The glue between the scheduler and the rest of the server: runs go through {@link BackupRunner} (so each
 * is logged), probes are a bare {@code Hello} exchange with the agent (so they log nothing), and a manual
 * run's caller gets the execution the run wrote, which its {@link RunResult} carries.
 */
final class ScheduledRuns implements RunExecutor {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final Catalog catalog;
    private final BackupRunner runner;
    private final RunHooks hooks;

    ScheduledRuns(Catalog catalog, BackupRunner runner, RunHooks hooks) {
        this.catalog = catalog;
        this.runner = runner;
        this.hooks = hooks;
    }

    @Override
    public RunResult run(ScheduledTarget scheduled, RunTrigger trigger) {
        Target target = catalog.target(scheduled.id())
                .orElseThrow(() ->
                        new IllegalStateException("target " + scheduled.id() + " is scheduled but not in the catalog"));
        try {
            return result(runner.run(target, trigger));
        } catch (UnrecordedRunException u) {
            return RunResult.failed(FailureKind.OTHER, u.getMessage());
        }
    }

    /** How a finished execution ended, carrying it. */
    static RunResult result(Execution e) {
        RunResult ended = switch (e.outcome()) {
            case STORED -> RunResult.stored();
            case UNCHANGED -> RunResult.unchanged();
            case FAILED -> RunResult.failed(e.failureKind() == null ? FailureKind.OTHER : e.failureKind(), e.error());
            case RUNNING -> throw new IllegalArgumentException("execution " + e.id() + " has not ended");
        };
        return ended.withExecution(Views.execution(e));
    }

    /** Probes a node's agent: does it complete a {@code Hello}? */
    static Prober prober(AgentDialer dialer) {
        return (node, port) -> {
            try (BlockingConnection ignored = dialer.open(node, port, PROBE_TIMEOUT, PROBE_TIMEOUT)) {
                return true;
            } catch (RunFailure f) {
                // An agent that answers with the wrong identity answered: its run says so, loudly.
                return f.kind() != FailureKind.UNREACHABLE;
            }
        };
    }

    /** Runs the target now through the scheduler, or joins its run in progress; completes with its execution. */
    CompletableFuture<ExecutionInfo> runNow(BackupScheduler scheduler, Target target) {
        boolean joining = scheduler
                .status(target.id())
                .map(s -> s.state() == TargetState.RUNNING)
                .orElse(false);
        CompletableFuture<RunResult> run;
        try {
            run = scheduler.runNow(target.id());
        } catch (NoSuchElementException e) {
            throw new RefusedException(ErrorCode.NOT_FOUND, "target " + target.label() + " is not scheduled");
        }
        if (joining) {
            hooks.joined(target.id());
        }
        // The answer is the run's own execution, named by its result: a run that wrote no row (a full disk)
        // is an error, never the target's previous run.
        return run.handle((result, failure) -> {
            if (failure != null) {
                throw new IllegalStateException("the run could not complete: " + failure.getMessage(), failure);
            }
            if (result.execution() == null) {
                throw new UnrecordedRunException(result.error(), null);
            }
            return result.execution();
        });
    }

    /** Every active target with its last run, as the scheduler resumes them after a restart. */
    List<RestoredTarget> restore() {
        Map<Long, Execution> last = catalog.lastExecutions();
        List<RestoredTarget> out = new ArrayList<>();
        for (Target t : catalog.activeTargets()) {
            out.add(restored(t, last.get(t.id())));
        }
        return out;
    }

    /**
     * What {@link #restore()} gives for these targets only (those still active), read for them alone: a
     * server that gains one target (a registration, a claim) or a take-over's share reads those rows, in
     * one pass of bounded chunks, never every target and every last execution of the catalog.
     */
    List<RestoredTarget> restore(Set<Long> targetIds) {
        if (targetIds.isEmpty()) {
            return List.of();
        }
        Map<Long, Execution> last = catalog.lastExecutions(targetIds);
        List<RestoredTarget> out = new ArrayList<>();
        for (Target t : catalog.activeTargets(targetIds)) {
            out.add(restored(t, last.get(t.id())));
        }
        return out;
    }

    private static RestoredTarget restored(Target t, Execution last) {
        ScheduledTarget st = scheduled(t);
        return last == null || last.outcome() == Outcome.RUNNING
                ? RestoredTarget.neverRun(st)
                : new RestoredTarget(st, last.startedAt(), result(last));
    }

    static ScheduledTarget scheduled(Target t) {
        return new ScheduledTarget(t.id(), t.node(), t.port(), t.path(), Duration.ofSeconds(t.everySeconds()));
    }
}
