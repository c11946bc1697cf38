package org.clusterbackup.core.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RunTrigger;

/**
 * A row of {@code executions}, joined with its target's address: one backup run, kept forever.
 *
 * @param failureKind why a FAILED run failed; null for other outcomes (and for FAILED runs logged before
 *        the kind was recorded)
 * @param transfer for STORED runs: {@link #FULL}, {@link #DELTA} or {@link #BLOCKS}; else null
 */
public record Execution(
        long id,
        long targetId,
        String node,
        int port,
        String path,
        RunTrigger trigger,
        Instant startedAt,
        Instant finishedAt,
        Outcome outcome,
        long bytesReceived,
        Long archiveId,
        Integer files,
        String error,
        FailureKind failureKind,
        List<String> warnings,
        String transfer) {
    /** A STORED run's archive came whole from the agent. */
    public static final String FULL = "FULL";
    /** A STORED run's archive was built by the server from the previous one and the agent's changes. */
    public static final String DELTA = "DELTA";
    /** As {@link #DELTA}, and at least one changed file came as its changed blocks only (a block delta). */
    public static final String BLOCKS = "BLOCKS";

    public Execution {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(outcome, "outcome");
        warnings = List.copyOf(warnings);
    }
}
