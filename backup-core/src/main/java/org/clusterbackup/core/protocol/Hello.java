package org.clusterbackup.core.protocol;

import java.util.Objects;

/**
 * First frame on every connection, in both directions.
 *
 * @param protocolVersion the version the sender speaks; peers must agree exactly
 * @param role who the sender is: {@code cli}, {@code console}, {@code server} or {@code agent}
 */
public record Hello(int protocolVersion, String role) implements Message {
    public Hello {
        Objects.requireNonNull(role, "role");
    }
}
