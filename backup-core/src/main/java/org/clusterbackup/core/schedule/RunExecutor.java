package org.clusterbackup.core.schedule;

import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.RunTrigger;

/**
 * Runs one backup of a target, blocking: dials the agent, stores the archive, writes the execution row.
 * The scheduler calls it on a thread of the executor it was given, never twice at once for one target.
 */
@FunctionalInterface
public interface RunExecutor {
    /**
     * @return how the run ended; a thrown exception (or {@code null}) counts as
     *         {@link FailureKind#OTHER}, so a bug here costs one run, not the schedule
     */
    RunResult run(ScheduledTarget target, RunTrigger trigger) throws Exception;
}
