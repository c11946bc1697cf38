package org.clusterbackup.core.protocol;

/** Control plane: deactivate the selected target. */
public record UnregisterRequest(TargetSelector target) implements Message {
}
