package org.clusterbackup.core.protocol;

/** Control plane (admin): revoke a token by name; it stops working at once. Answered by {@link TokenRevoked}. */
public record TokenRevokeRequest(String name) implements Message {}
