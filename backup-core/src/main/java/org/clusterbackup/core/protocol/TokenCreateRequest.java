package org.clusterbackup.core.protocol;

/** Control plane (admin): make a token. Answered by {@link TokenCreated}, the only message that carries it. */
public record TokenCreateRequest(String name, String role) implements Message {}
