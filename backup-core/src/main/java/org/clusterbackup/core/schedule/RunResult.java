package org.clusterbackup.core.schedule;

import java.util.Objects;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.protocol.ExecutionInfo;

/**
 * How one run ended.
 *
 * @param outcome stored, unchanged or failed (never running: a result is how a run ended)
 * @param failure why it failed; present exactly when {@code outcome} is {@link Outcome#FAILED}
 * @param error a one-line reason for the log, or null
 * @param execution the execution row this run wrote, as the control plane reports it; null when none could
 *        be written (a full disk) or the executor keeps no log. Whoever waits on a run answers from this,
 *        never from "the latest run"
 */
public record RunResult(Outcome outcome, FailureKind failure, String error, ExecutionInfo execution) {
    public RunResult {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.RUNNING) {
            throw new IllegalArgumentException("a result is how a run ended; outcome was RUNNING");
        }
        if ((outcome == Outcome.FAILED) != (failure != null)) {
            throw new IllegalArgumentException("failure must be given exactly when the outcome is FAILED; outcome was "
                    + outcome + ", failure " + failure);
        }
    }

    public RunResult(Outcome outcome, FailureKind failure, String error) {
        this(outcome, failure, error, null);
    }

    /** This result, carrying the execution row that records it. */
    public RunResult withExecution(ExecutionInfo execution) {
        return new RunResult(outcome, failure, error, Objects.requireNonNull(execution, "execution"));
    }

    public static RunResult stored() {
        return new RunResult(Outcome.STORED, null, null);
    }

    public static RunResult unchanged() {
        return new RunResult(Outcome.UNCHANGED, null, null);
    }

    public static RunResult failed(FailureKind failure, String error) {
        return new RunResult(Outcome.FAILED, Objects.requireNonNull(failure, "failure"), error);
    }

    /** True when the node could not be reached: the one outcome that sends a target to probing. */
    public boolean unreachable() {
        return failure == FailureKind.UNREACHABLE;
    }
}
