package org.clusterbackup.core.protocol;

import java.time.Instant;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetState;

/**
 * A registered target as the control plane reports it.
 *
 * @param state where it is in the schedule; null where not asked for (register)
 * @param nextRunAt the next run, or for RETRYING the next probe of its node; null while running
 * @param lastOutcome outcome of the last finished run (never RUNNING), or null
 * @param lastSuccessAt end of the last STORED or UNCHANGED run, or null
 * @param lastFailureKind why the last finished run failed when it did (an {@code IDENTITY} failure needs an
 *        operator), else null; null too from a server that predates it
 * @param server the name of the server that runs it (its holder on a shared catalog); null while none does,
 *        and from a server that predates it
 */
public record TargetInfo(
        long id,
        String node,
        int port,
        String path,
        long everySeconds,
        Instant registeredAt,
        TargetState state,
        Instant nextRunAt,
        Outcome lastOutcome,
        Instant lastSuccessAt,
        FailureKind lastFailureKind,
        String server) {

    /** Where the schedule stands, without the server that runs it. */
    public TargetInfo(
            long id,
            String node,
            int port,
            String path,
            long everySeconds,
            Instant registeredAt,
            TargetState state,
            Instant nextRunAt,
            Outcome lastOutcome,
            Instant lastSuccessAt,
            FailureKind lastFailureKind) {
        this(
                id,
                node,
                port,
                path,
                everySeconds,
                registeredAt,
                state,
                nextRunAt,
                lastOutcome,
                lastSuccessAt,
                lastFailureKind,
                null);
    }

    /** Where the schedule stands, without why the last run failed. */
    public TargetInfo(
            long id,
            String node,
            int port,
            String path,
            long everySeconds,
            Instant registeredAt,
            TargetState state,
            Instant nextRunAt,
            Outcome lastOutcome,
            Instant lastSuccessAt) {
        this(
                id,
                node,
                port,
                path,
                everySeconds,
                registeredAt,
                state,
                nextRunAt,
                lastOutcome,
                lastSuccessAt,
                null,
                null);
    }

    /** The registration alone, without its schedule. */
    public TargetInfo(long id, String node, int port, String path, long everySeconds, Instant registeredAt) {
        this(id, node, port, path, everySeconds, registeredAt, null, null, null, null, null, null);
    }
}
