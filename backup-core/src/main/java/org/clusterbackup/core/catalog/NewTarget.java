package org.clusterbackup.core.catalog;

import java.util.Objects;

/** A target to register, already validated and normalised: (node, port, path) and its frequency. */
public record NewTarget(String node, int port, String path, long everySeconds) {
    public NewTarget {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(path, "path");
        if (everySeconds <= 0) {
            throw new IllegalArgumentException("everySeconds must be positive: " + everySeconds);
        }
    }
}
