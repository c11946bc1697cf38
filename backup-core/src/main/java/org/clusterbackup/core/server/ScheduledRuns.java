package org.clusterbackup.core.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.model.RefusedException;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.schedule.BackupScheduler;
import org.clusterbackup.core.schedule.FailureKind;
import org.clusterbackup.core.schedule.Prober;
import org.clusterbackup.core.schedule.RestoredTarget;
import org.clusterbackup.core.schedule.RunExecutor;
import org.clusterbackup.core.schedule.RunResult;
import org.clusterbackup.core.schedule.RunTrigger;
import org.clusterbackup.core.schedule.ScheduledTarget;
import org.clusterbackup.core.schedule.TargetState;

/**
 * The glue between the scheduler and the rest of the server: runs go through {@link BackupRunner} (so each
 * is logged), probes are a bare {@code Hello} exchange with the agent (so they log nothing), and a manual
 * run's caller gets the execution the run wrote.
 */
final class ScheduledRuns implements RunExecutor {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final Catalog catalog;
    private final BackupRunner runner;
    private final RunHooks hooks;
    /** The execution each target's latest run wrote, for the manual run that waits on it (checked by id). */
    private final Map<Long, Execution> finished = new ConcurrentHashMap<>();

    ScheduledRuns(Catalog catalog, BackupRunner runner, RunHooks hooks) {
        this.catalog = catalog;
        this.runner = runner;
        this.hooks = hooks;
    }

    @Override
    public RunResult run(ScheduledTarget scheduled, RunTrigger trigger) {
        Target target = catalog.target(scheduled.id()).orElseThrow(() ->
                new IllegalStateException("target " + scheduled.id() + " is scheduled but not in the catalog"));
        Execution e;
        try {
            e = runner.run(target, trigger.name());
        } catch (UnrecordedRunException u) {
            return RunResult.failed(FailureKind.OTHER, u.getMessage());
        }
        finished.put(target.id(), e);
        return result(e);
    }

    static RunResult result(Execution e) {
        switch (e.outcome()) {
            case Execution.STORED:
                return RunResult.stored().withExecution(e.id());
            case Execution.UNCHANGED:
                return RunResult.unchanged().withExecution(e.id());
            default:
                return RunResult.failed(e.failureKind() == null ? FailureKind.OTHER
                        : FailureKind.valueOf(e.failureKind()), e.error()).withExecution(e.id());
        }
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
    CompletableFuture<Execution> runNow(BackupScheduler scheduler, Target target) {
        boolean joining = scheduler.status(target.id()).map(s -> s.state() == TargetState.RUNNING).orElse(false);
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
            if (result.executionId() == null) {
                throw new UnrecordedRunException(result.error(), null);
            }
            Execution e = finished.get(target.id());
            if (e == null || e.id() != result.executionId()) {
                throw new IllegalStateException("execution " + result.executionId() + " of " + target.label()
                        + " was replaced before it could be answered");
            }
            return e;
        });
    }

    /** Every active target with its last run, as the scheduler resumes them after a restart. */
    List<RestoredTarget> restore() {
        Map<Long, Execution> last = catalog.lastExecutions();
        List<RestoredTarget> out = new ArrayList<>();
        for (Target t : catalog.activeTargets()) {
            Execution e = last.get(t.id());
            ScheduledTarget st = scheduled(t);
            out.add(e == null || Execution.RUNNING.equals(e.outcome()) ? RestoredTarget.neverRun(st)
                    : new RestoredTarget(st, e.startedAt(), result(e)));
        }
        return out;
    }

    static ScheduledTarget scheduled(Target t) {
        return new ScheduledTarget(t.id(), t.node(), t.port(), t.path(), Duration.ofSeconds(t.everySeconds()));
    }

}
