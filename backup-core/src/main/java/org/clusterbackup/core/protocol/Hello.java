package org.clusterbackup.core.protocol;

import java.util.Objects;

/**
 * First frame on every connection, in both directions.
 *
 * @param protocolVersion the version the sender speaks; peers must agree exactly
 * @param role who the sender is: {@code cli}, {@code console}, {@code server} or {@code agent}
 * @param token an operator's bearer token, sent by {@code cli} and {@code console} to the server (inside
 *        TLS); null otherwise. Never logged.
 */
public record Hello(int protocolVersion, String role, String token) implements Message {
    public Hello {
        Objects.requireNonNull(role, "role");
    }

    /** A Hello without a token: daemons, and every answer. */
    public Hello(int protocolVersion, String role) {
        this(protocolVersion, role, null);
    }

    @Override
    public String toString() {
        return "Hello[protocolVersion=" + protocolVersion + ", role=" + role + ", token="
                + (token == null ? "none" : "…") + "]";
    }
}
