package org.clusterbackup.core.schedule;

/** Why a run was started; passed to {@link RunExecutor#run} so the execution log can say it. */
public enum RunTrigger {
    /** The target's period came round (or it is new, or it was overdue at start-up). */
    SCHEDULE,
    /** The target was waiting for its unreachable node, and a probe found the node answering again. */
    RETRY,
    /** An operator asked for it ({@link BackupScheduler#runNow}). */
    MANUAL
}
