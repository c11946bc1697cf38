package org.clusterbackup.core.model;

/** Why a run was started, as the execution log records it. */
public enum RunTrigger {
    /** The target's period came round (or it is new, or it was overdue at start-up). */
    SCHEDULE,
    /** The target was waiting for its unreachable node, and a probe found the node answering again. */
    RETRY,
    /** An operator asked for it ({@code runNow}). */
    MANUAL
}
