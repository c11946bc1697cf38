package org.clusterbackup.core.protocol;

/**
 * Control plane: extract a kept archive into {@code target} on a node's agent. Answered by a
 * {@link RestoreReply} once the tree is in place, or an {@code Error}.
 *
 * @param node the node to restore on, or null for the archive's own target's node
 * @param port that node's agent port, or null for the archive's own target's port
 * @param target absolute directory on the node; absent or empty, inside one of the agent's restore roots
 */
public record RestoreRequest(long archiveId, String node, Integer port, String target) implements Message {}
