package org.clusterbackup.core.protocol;

import org.clusterbackup.core.model.TargetSelector;

/** Control plane: every archive the target ever stored, newest first; answered by {@link ArchivePage}s. */
public record BackupsRequest(TargetSelector target) implements Message {}
