package org.clusterbackup.core.protocol;

import java.time.Instant;

/** Control plane: a new token, shown this once; the server keeps only its hash. */
public record TokenCreated(String name, String role, String token, Instant createdAt) implements Message {
    @Override
    public String toString() {
        return "TokenCreated[name=" + name + ", role=" + role + ", createdAt=" + createdAt + "]";
    }
}
