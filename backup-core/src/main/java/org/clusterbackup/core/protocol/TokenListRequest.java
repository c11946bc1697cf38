package org.clusterbackup.core.protocol;

/** Control plane (admin): the tokens, without their values. Answered by {@link TokenPage}s. */
public record TokenListRequest() implements Message {}
