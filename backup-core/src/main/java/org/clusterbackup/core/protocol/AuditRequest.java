package org.clusterbackup.core.protocol;

/** Control plane (viewer): the newest audit entries, {@code limit} of them (0: all). Answered by {@link AuditPage}s. */
public record AuditRequest(int limit) implements Message {}
