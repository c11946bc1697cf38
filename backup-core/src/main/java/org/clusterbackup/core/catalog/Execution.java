package org.clusterbackup.core.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A row of {@code executions}, joined with its target's address: one backup run, kept forever.
 *
 * @param trigger {@code MANUAL}, {@code SCHEDULE} or {@code RETRY}
 * @param outcome {@code RUNNING}, {@code STORED}, {@code UNCHANGED} or {@code FAILED}
 * @param failureKind for FAILED runs: {@code UNREACHABLE}, {@code REFUSED}, {@code IDENTITY} or {@code OTHER}
 * @param transfer for STORED runs: {@link #FULL}, {@link #DELTA} or {@link #BLOCKS}; else null
 */
public record Execution(long id, long targetId, String node, int port, String path, String trigger,
                        Instant startedAt, Instant finishedAt, String outcome, long bytesReceived, Long archiveId,
                        Integer files, String error, String failureKind, List<String> warnings, String transfer) {
    public static final String RUNNING = "RUNNING";
    public static final String STORED = "STORED";
    public static final String UNCHANGED = "UNCHANGED";
    public static final String FAILED = "FAILED";
    /** A STORED run's archive came whole from the agent. */
    public static final String FULL = "FULL";
    /** A STORED run's archive was built by the server from the previous one and the agent's changes. */
    public static final String DELTA = "DELTA";
    /** As {@link #DELTA}, and at least one changed file came as its changed blocks only (a block delta). */
    public static final String BLOCKS = "BLOCKS";

    public Execution {
        warnings = List.copyOf(warnings);
    }
}
