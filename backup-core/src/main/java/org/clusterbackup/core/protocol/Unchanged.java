package org.clusterbackup.core.protocol;

/** Data plane, agent to server: the tree's digest equals the request's {@code baseDigest}; nothing follows. */
public record Unchanged(String digest) implements Message {}
