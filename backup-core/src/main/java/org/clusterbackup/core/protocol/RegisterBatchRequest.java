package org.clusterbackup.core.protocol;

import java.util.List;

/**
 * Control plane: registers (or reactivates) every target of the batch in one catalog transaction; answered
 * by a {@link RegisterBatchReply}. A target already registered with the same frequency counts as unchanged,
 * so sending a batch again after a lost reply changes nothing. At most {@link #MAX_TARGETS} targets.
 */
public record RegisterBatchRequest(List<TargetLine> targets) implements Message {
    /** The most targets one request may carry: one request cannot hold the catalog for long. */
    public static final int MAX_TARGETS = 1000;

    public RegisterBatchRequest {
        targets = targets == null ? List.of() : List.copyOf(targets);
    }
}
