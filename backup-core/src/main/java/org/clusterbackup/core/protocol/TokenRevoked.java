package org.clusterbackup.core.protocol;

import java.time.Instant;

/** Control plane: the token named is revoked. */
public record TokenRevoked(String name, Instant revokedAt) implements Message {}
