package org.clusterbackup.core.protocol;

/**
 * Data plane, server to agent: an archive of {@code size} bytes with this sha256 follows for {@code target}.
 * The agent answers {@link RestoreReady} once it accepts the target, or an {@code Error}; then
 * {@link Data} frames and {@link RestoreEnd} follow, and the agent answers {@link RestoreDone}.
 */
public record RestoreBegin(String target, long size, String sha256) implements Message {}
