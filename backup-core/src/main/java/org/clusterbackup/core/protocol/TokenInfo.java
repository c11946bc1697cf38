package org.clusterbackup.core.protocol;

import java.time.Instant;

/** A token as {@code backupctl token list} shows it: never its value. Revoked tokens are not listed. */
public record TokenInfo(String name, String role, Instant createdAt, Instant lastUsedAt) {}
