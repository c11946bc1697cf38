package org.clusterbackup.core.catalog;

import java.time.Instant;
import java.util.Objects;

/**
 * A live server of a cluster sharing a PostgreSQL catalog, as {@code backupctl servers} lists it.
 *
 * @param name its {@code --name}
 * @param address its control-plane address, HOST:PORT
 * @param targets how many targets it holds
 * @param heartbeatAt when it last renewed its claims, by the database's clock
 */
public record ServerRecord(String name, String address, int targets, Instant heartbeatAt) {
    public ServerRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(heartbeatAt, "heartbeatAt");
    }
}
