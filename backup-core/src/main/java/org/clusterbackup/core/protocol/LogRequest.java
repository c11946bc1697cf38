package org.clusterbackup.core.protocol;

import org.clusterbackup.core.model.TargetSelector;

/**
 * Control plane: executions, newest first; answered by {@link ExecutionPage}s.
 *
 * @param target one target's executions, or {@code null} for all
 * @param limit at most this many; 0 means all
 */
public record LogRequest(TargetSelector target, int limit) implements Message {
}
