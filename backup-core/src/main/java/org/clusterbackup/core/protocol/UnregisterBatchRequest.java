package org.clusterbackup.core.protocol;

import java.util.List;

/**
 * Control plane: unregisters every target of the batch in one catalog transaction; answered by an
 * {@link UnregisterBatchReply}. A target that is unknown or not registered counts as not found, so sending a
 * batch again changes nothing. At most {@link RegisterBatchRequest#MAX_TARGETS} targets.
 */
public record UnregisterBatchRequest(List<TargetLine> targets) implements Message {
    public UnregisterBatchRequest {
        targets = targets == null ? List.of() : List.copyOf(targets);
    }
}
