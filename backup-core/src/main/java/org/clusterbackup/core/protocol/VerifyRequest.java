package org.clusterbackup.core.protocol;

import org.clusterbackup.core.model.TargetSelector;

/**
 * Control plane: re-read stored archives and check them (size, sha256, a full gzip and tar parse). Exactly
 * one scope is given: one archive, one target's kept archives, or all. Answered by {@link VerifyPage}s.
 */
public record VerifyRequest(Long archiveId, TargetSelector target, boolean all) implements Message {}
