package org.clusterbackup.core.protocol;

/** Control plane: the pin now in force for node:port. */
public record TrustReply(String node, int port, String fingerprint) implements Message {}
