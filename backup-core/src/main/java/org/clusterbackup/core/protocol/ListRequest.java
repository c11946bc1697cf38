package org.clusterbackup.core.protocol;

/** Control plane: list the active targets. Answered by one or more {@link TargetPage}s. */
public record ListRequest() implements Message {}
