package org.clusterbackup.core.protocol;

/** Data plane, server to agent: the archive is complete. */
public record RestoreEnd() implements Message {}
