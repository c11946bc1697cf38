package org.clusterbackup.core.catalog;

import java.time.Instant;

/**
 * A row of {@code targets}: one (node, port, path) with its stable id. Unregistering clears
 * {@code active}; registering again sets it, keeping the id and so the history.
 */
public record Target(
        long id, String node, int port, String path, long everySeconds, Instant registeredAt, boolean active) {

    /** {@code node:port path}, how messages name a target. */
    public String label() {
        return (node.indexOf(':') >= 0 ? "[" + node + "]" : node) + ":" + port + " " + path;
    }
}
