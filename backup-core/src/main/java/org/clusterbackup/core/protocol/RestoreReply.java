package org.clusterbackup.core.protocol;

/** Control plane: the archive is extracted on the node; {@code bytes} counts file content written. */
public record RestoreReply(long id, String node, int port, String target, int files, long bytes) implements Message {
}
