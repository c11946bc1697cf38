package org.clusterbackup.core.protocol;

/** Control plane: register (or reactivate) the target (node, port, path) with a frequency. */
public record RegisterRequest(String node, int port, String path, long everySeconds) implements Message {
}
