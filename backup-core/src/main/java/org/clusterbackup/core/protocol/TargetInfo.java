package org.clusterbackup.core.protocol;

import java.time.Instant;

/** A registered target as the control plane reports it. */
public record TargetInfo(long id, String node, int port, String path, long everySeconds, Instant registeredAt) {
}
