package org.clusterbackup.core.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * A live server of the cluster, as {@code backupctl servers} lists it.
 *
 * @param name its {@code --name}
 * @param address its control-plane address, HOST:PORT
 * @param targets how many targets it holds (runs)
 * @param heartbeatAt when it last said it was alive; for a server alone on its catalog, the time of the answer
 */
public record ServerInfo(String name, String address, int targets, Instant heartbeatAt) {
    public ServerInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(heartbeatAt, "heartbeatAt");
        if (targets < 0) {
            throw new IllegalArgumentException("targets cannot be negative: " + targets);
        }
    }
}
