package org.clusterbackup.core.protocol;

/** Control plane: what an {@link UnregisterBatchRequest} did, in counts of targets. */
public record UnregisterBatchReply(int unregistered, int notFound) implements Message {}
