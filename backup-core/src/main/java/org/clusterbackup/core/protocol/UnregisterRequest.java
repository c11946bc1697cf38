package org.clusterbackup.core.protocol;

import org.clusterbackup.core.model.TargetSelector;

/** Control plane: deactivate the selected target. */
public record UnregisterRequest(TargetSelector target) implements Message {}
