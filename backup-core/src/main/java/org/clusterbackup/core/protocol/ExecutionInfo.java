package org.clusterbackup.core.protocol;

import java.time.Instant;
import java.util.List;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;

/**
 * One backup run as the control plane reports it.
 *
 * @param outcome where the run stands; on the wire its name
 * @param bytesReceived every byte that came from the agent for this run, frame headers included
 * @param archiveId the archive stored (STORED) or confirmed current (UNCHANGED), else {@code null}
 * @param transfer how a STORED run's archive came: {@code "FULL"}, {@code "DELTA"} or {@code "BLOCKS"}; else {@code null}
 * @param failureKind why a FAILED run failed, else null (and null from a server that predates it)
 */
public record ExecutionInfo(
        long id,
        long targetId,
        String node,
        int port,
        String path,
        Instant startedAt,
        Instant finishedAt,
        Outcome outcome,
        long bytesReceived,
        Long archiveId,
        Integer files,
        String error,
        List<String> warnings,
        String transfer,
        FailureKind failureKind) {
    public ExecutionInfo {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A run without a failure kind. */
    public ExecutionInfo(
            long id,
            long targetId,
            String node,
            int port,
            String path,
            Instant startedAt,
            Instant finishedAt,
            Outcome outcome,
            long bytesReceived,
            Long archiveId,
            Integer files,
            String error,
            List<String> warnings,
            String transfer) {
        this(
                id,
                targetId,
                node,
                port,
                path,
                startedAt,
                finishedAt,
                outcome,
                bytesReceived,
                archiveId,
                files,
                error,
                warnings,
                transfer,
                null);
    }

    /** A run without a transfer kind: not STORED, or from a server that predates it. */
    public ExecutionInfo(
            long id,
            long targetId,
            String node,
            int port,
            String path,
            Instant startedAt,
            Instant finishedAt,
            Outcome outcome,
            long bytesReceived,
            Long archiveId,
            Integer files,
            String error,
            List<String> warnings) {
        this(
                id,
                targetId,
                node,
                port,
                path,
                startedAt,
                finishedAt,
                outcome,
                bytesReceived,
                archiveId,
                files,
                error,
                warnings,
                null,
                null);
    }
}
