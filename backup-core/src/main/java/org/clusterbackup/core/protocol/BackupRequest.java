package org.clusterbackup.core.protocol;

/**
 * Data plane, server to agent: back up {@code path}.
 *
 * @param baseDigest digest of the newest sound archive the server holds for this target, or {@code null};
 *        when the tree still has this digest the agent answers {@link Unchanged} and sends no archive
 */
public record BackupRequest(String path, String baseDigest) implements Message {
}
