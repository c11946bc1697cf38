package org.clusterbackup.core.protocol;

import java.util.List;

/**
 * Control plane: the targets changed since {@code since}, answered by {@link TargetChangePage}s. A refresh
 * that sends back the cursor of its last answer reads only what changed, not the whole registry.
 *
 * @param since the cursor of the last answer, or {@code null} for every active target
 * @param recheck ids to answer afresh whether or not they changed, at most {@link #MAX_RECHECK}: a client
 *        sends the ones it shows RUNNING or RETRYING, whose schedule state moves without a catalog change
 *        (a run's end is recorded just before the schedule moves on; a retry's probes are not recorded)
 */
public record TargetChangesRequest(TargetCursor since, List<Long> recheck) implements Message {
    public static final int MAX_RECHECK = 1000;

    public TargetChangesRequest {
        recheck = recheck == null ? List.of() : List.copyOf(recheck);
    }
}
