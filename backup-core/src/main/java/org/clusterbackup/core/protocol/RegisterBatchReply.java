package org.clusterbackup.core.protocol;

/** Control plane: what a {@link RegisterBatchRequest} did, in counts of targets. */
public record RegisterBatchReply(int registered, int reactivated, int unchanged) implements Message {}
