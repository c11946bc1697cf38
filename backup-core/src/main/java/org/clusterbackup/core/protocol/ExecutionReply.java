package org.clusterbackup.core.protocol;

/** Control plane: the execution a {@link RunRequest} started or joined, once it has ended. */
public record ExecutionReply(ExecutionInfo execution) implements Message {}
