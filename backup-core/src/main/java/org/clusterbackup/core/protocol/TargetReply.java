package org.clusterbackup.core.protocol;

/** Control plane: the target a register or unregister acted on. */
public record TargetReply(TargetInfo target) implements Message {}
