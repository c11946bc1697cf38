package org.clusterbackup.core.protocol;

import java.time.Instant;
import java.util.List;

/**
 * One backup run as the control plane reports it.
 *
 * @param outcome {@code RUNNING}, {@code STORED}, {@code UNCHANGED} or {@code FAILED}
 * @param bytesReceived every byte that came from the agent for this run, frame headers included
 * @param archiveId the archive stored (STORED) or confirmed current (UNCHANGED), else {@code null}
 */
public record ExecutionInfo(long id, long targetId, String node, int port, String path, Instant startedAt,
                            Instant finishedAt, String outcome, long bytesReceived, Long archiveId, Integer files,
                            String error, List<String> warnings) {
    public ExecutionInfo {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
