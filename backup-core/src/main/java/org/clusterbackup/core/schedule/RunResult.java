package org.clusterbackup.core.schedule;

import java.util.Objects;

/**
 * How one run ended.
 *
 * @param outcome stored, unchanged or failed
 * @param failure why it failed; present exactly when {@code outcome} is {@link Outcome#FAILED}
 * @param error a one-line reason for the log, or null
 * @param executionId the execution row this run wrote, or null when none could be written (a full disk) or
 *        the executor keeps no log; whoever waits on a run answers from this, never from "the latest run"
 */
public record RunResult(Outcome outcome, FailureKind failure, String error, Long executionId) {
    public RunResult {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.FAILED) != (failure != null)) {
            throw new IllegalArgumentException("failure must be given exactly when the outcome is FAILED; outcome was "
                    + outcome + ", failure " + failure);
        }
    }

    public RunResult(Outcome outcome, FailureKind failure, String error) {
        this(outcome, failure, error, null);
    }

    /** This result, naming the execution row that records it. */
    public RunResult withExecution(long id) {
        return new RunResult(outcome, failure, error, id);
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
