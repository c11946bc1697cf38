package org.clusterbackup.core.protocol;

/** Control plane (admin): pin the agent identity of node:port, replacing any pin. Answered by {@link TrustReply}. */
public record TrustRequest(String node, int port, String fingerprint) implements Message {}
