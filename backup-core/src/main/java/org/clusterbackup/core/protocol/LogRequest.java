package org.clusterbackup.core.protocol;

import java.time.Instant;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;

/**
 * Control plane: executions, newest first; answered by {@link ExecutionPage}s as the server reads them.
 *
 * @param target one target's executions, or {@code null} for all
 * @param limit at most this many; 0 means all
 * @param since only runs started at or after this instant, or {@code null}
 * @param until only runs started before this instant, or {@code null}
 * @param outcome only runs with this outcome, or {@code null}
 * @param beforeId keyset cursor: only executions with a smaller id (the last id of the page before), or
 *        {@code null} from the newest; how a reader that pages as it scrolls asks for the next page
 */
public record LogRequest(TargetSelector target, int limit, Instant since, Instant until, Outcome outcome, Long beforeId)
        implements Message {
    public LogRequest(TargetSelector target, int limit, Instant since, Instant until, Outcome outcome) {
        this(target, limit, since, until, outcome, null);
    }

    public LogRequest(TargetSelector target, int limit) {
        this(target, limit, null, null, null);
    }
}
