package org.clusterbackup.core.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.RunTrigger;

/**
 * The execution log: one row per backup run, kept forever. A run is logged RUNNING when it starts and
 * finished exactly once; a STORED run is finished by {@link Catalog#finishStored}, with its archive.
 */
public interface ExecutionLog {
    /** Logs the start of a run: a RUNNING row that a crash leaves behind for start-up to close. */
    Execution startExecution(Target target, RunTrigger trigger);

    /** Completes a run whose tree matched the archive it already had. */
    Execution finishUnchanged(long executionId, Archive confirmed, long bytesReceived, List<String> warnings);

    /** Completes a failed run with its one-line reason and what kind of failure it was. */
    Execution finishFailed(
            long executionId, String error, FailureKind failureKind, long bytesReceived, List<String> warnings);

    /**
     * Start-up: runs left RUNNING by a crash are closed as FAILED with {@code reason}.
     *
     * @return how many were closed
     */
    int failInterruptedRuns(String reason);

    /**
     * Executions, newest first.
     *
     * @param targetId one target's, or {@code null} for all
     * @param limit at most this many; 0 for all
     */
    default List<Execution> executions(Long targetId, int limit) {
        return executions(ExecutionQuery.newest(targetId, limit));
    }

    /** The executions {@code query} selects, newest (highest id) first. */
    List<Execution> executions(ExecutionQuery query);

    /** The newest execution of every target that has one: where each schedule stood. */
    Map<Long, Execution> lastExecutions();

    /** What {@link #lastExecutions()} gives for these targets only, read for them alone in bounded chunks of ids. */
    Map<Long, Execution> lastExecutions(Collection<Long> targetIds);

    /** Per active target: the outcome of its last finished run and when its last success ended. */
    Map<Long, RunSummary> runSummaries();

    /** The run summaries of these targets, active or not: a page of them, without reading the whole registry. */
    Map<Long, RunSummary> runSummaries(List<Long> targetIds);
}
