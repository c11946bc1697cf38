package org.clusterbackup.core.protocol;

/** Control plane: the live servers of the cluster this server belongs to. Answered by {@link ServerPage}s. */
public record ServersRequest() implements Message {}
