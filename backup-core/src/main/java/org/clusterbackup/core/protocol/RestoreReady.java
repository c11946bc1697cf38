package org.clusterbackup.core.protocol;

/** Data plane, agent to server: the restore target is acceptable; send the archive. */
public record RestoreReady() implements Message {}
