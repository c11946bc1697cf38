package org.clusterbackup.core.protocol;

import org.clusterbackup.core.model.TargetSelector;

/** Control plane: run a backup of the target now (or join the run in progress); answered when it ends. */
public record RunRequest(TargetSelector target) implements Message {}
