package org.clusterbackup.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One audited control request, refused ones included.
 *
 * @param tokenName the token's name, null when no valid token was presented
 * @param peer the client's address, {@code host:port}
 * @param action the command: {@code register}, {@code run}, {@code token create}, …
 * @param params the request's parameters, a JSON object (never a token's value)
 * @param error why it failed or was refused; null when {@code ok}
 */
public record AuditEntry(
        long id, Instant at, String tokenName, String peer, String action, JsonNode params, boolean ok, String error) {}
