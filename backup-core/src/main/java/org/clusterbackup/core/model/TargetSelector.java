package org.clusterbackup.core.model;

/**
 * Names one target as users do: node and path, and the port only when several targets share them.
 *
 * @param port the agent port, or {@code null} for "the one target with this node and path"
 */
public record TargetSelector(String node, String path, Integer port) {
    @Override
    public String toString() {
        return node + (port == null ? "" : ":" + port) + " " + path;
    }
}
